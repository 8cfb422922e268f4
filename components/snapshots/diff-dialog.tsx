'use client';

import { useState } from 'react';
import type { DiffLineView } from '@/lib/recovery/recovery-views';
import { useSnapshotDiffQuery } from '../queries/use-snapshot-diff-query';
import { Badge, TONE_TEXT, type Tone } from '../ui/badge';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { Field, FormError, Select } from '../ui/field';
import { shortHash } from './snapshot-format';

// Words, not +/−: the same file read "− app.conf" here and "+ app.conf" in the restore preview,
// both right from their own side. "gone since" says which side the operator is looking from.
const CHANGE: Record<DiffLineView['change'], { tone: Tone; mark: string }> = {
  added: { tone: 'ok', mark: 'new since' },
  removed: { tone: 'bad', mark: 'gone since' },
  changed: { tone: 'warn', mark: 'changed' },
};

const LIVE = '';
// A diff of a whole tree can run to thousands of lines; the CLI has them all.
const SHOWN_LINES = 500;

function DiffSummary({ lines }: { lines: DiffLineView[] }) {
  const count = (change: DiffLineView['change']) => lines.filter((l) => l.change === change).length;
  return (
    <div className="flex flex-wrap gap-2 text-xs" data-testid="diff-summary">
      {(['added', 'removed', 'changed'] as const).map((change) => (
        <Badge key={change} tone={CHANGE[change].tone}>
          {count(change)} {change}
        </Badge>
      ))}
    </div>
  );
}

function DiffLines({ lines }: { lines: DiffLineView[] }) {
  if (lines.length === 0)
    return (
      <p className="rounded-md border border-dashed border-border px-3 py-6 text-center text-sm text-muted" data-testid="diff-identical">
        No differences: the trees are identical.
      </p>
    );
  return (
    <div className="max-h-96 overflow-auto rounded-md border border-border">
      <table className="w-full text-xs" data-testid="diff-lines">
        <thead className="sticky top-0 bg-surface-2 text-[11px] uppercase tracking-wide text-faint">
          <tr>
            <th className="w-20 px-2 py-1.5 text-left font-medium">Change</th>
            <th className="px-2 py-1.5 text-left font-medium">Path</th>
            <th className="px-2 py-1.5 text-left font-medium">Before</th>
            <th className="px-2 py-1.5 text-left font-medium">After</th>
          </tr>
        </thead>
        <tbody>
          {lines.slice(0, SHOWN_LINES).map((line) => (
            <tr key={line.path} className="border-t border-border/60" data-change={line.change}>
              <td className={`px-2 py-1 whitespace-nowrap font-semibold ${TONE_TEXT[CHANGE[line.change].tone]}`}>{CHANGE[line.change].mark}</td>
              <td className="max-w-[22rem] truncate px-2 py-1 font-mono" title={line.path}>
                {line.path}
              </td>
              <td className="px-2 py-1 font-mono text-muted" title={line.before}>
                {shortHash(line.before)}
              </td>
              <td className="px-2 py-1 font-mono text-muted" title={line.after}>
                {shortHash(line.after)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {lines.length > SHOWN_LINES ? (
        <p className="border-t border-border px-3 py-1.5 text-xs text-faint">
          {lines.length - SHOWN_LINES} more lines: run `vigil snapshot diff` for all of them.
        </p>
      ) : null}
    </div>
  );
}

/** What changed since the snapshot: in the live files, or in another snapshot. */
export function DiffDialog({ snapshot, others, open, onClose }: { snapshot: string; others: string[]; open: boolean; onClose: () => void }) {
  const [against, setAgainst] = useState(LIVE);
  const diff = useSnapshotDiffQuery({ ref: snapshot, against: against || null, enabled: open });
  return (
    <Dialog open={open} onClose={onClose} title={`Diff of ${snapshot}`} size="lg" testId="diff-dialog">
      <div className="flex flex-col gap-3">
        <div className="flex flex-wrap items-end justify-between gap-3">
          <div className="w-64">
            <Field label="Compare with">
              <Select value={against} onChange={(e) => setAgainst(e.target.value)} data-testid="diff-against">
                <option value={LIVE}>the live files now</option>
                {others.map((name) => (
                  <option key={name} value={name}>
                    snapshot {name}
                  </option>
                ))}
              </Select>
            </Field>
          </div>
          {diff.data ? <DiffSummary lines={diff.data} /> : null}
        </div>
        <p className="text-xs text-faint">
          {against
            ? `From ${snapshot} (before) to ${against} (after).`
            : `From ${snapshot} (before) to the files on disk now (after); every live file is hashed again. A restore puts back what is gone and undoes what changed.`}
        </p>
        {diff.isFetching && !diff.data ? <p className="py-6 text-center text-sm text-muted">Comparing…</p> : null}
        <FormError message={diff.error ? diff.error.message : null} />
        {diff.data ? <DiffLines lines={diff.data} /> : null}
        <div className="flex justify-end">
          <Button variant="ghost" onClick={onClose}>
            Close
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
