import type { RestoreResultView } from '@/lib/recovery/recovery-views';
import { formatBytes } from '@/lib/format';
import { Badge, type Tone } from '../ui/badge';
import { Button } from '../ui/button';
import { cn } from '../ui/cn';

const OUTCOME: Record<RestoreResultView['outcome'], { tone: Tone; title: string }> = {
  restored: { tone: 'ok', title: 'Restored' },
  'dry-run': { tone: 'accent', title: 'Preview: nothing was written' },
  'rolled-back': { tone: 'bad', title: 'Rolled back' },
  'up-to-date': { tone: 'ok', title: 'Already up to date: nothing to write' },
};

// What the restore does to the live files, in words (the diff dialog words it from the snapshot's side).
const CHANGE_MARK = { add: 'put back', modify: 'overwrite', remove: 'delete', mode: 'mode' } as const;
const SHOWN_CHANGES = 200;

/** The changes a restore made, or would make in a dry run. */
export function RestoreChanges({ changes }: { changes: RestoreResultView['changes'] }) {
  if (changes.length === 0) return null;
  return (
    <ul className="max-h-56 overflow-y-auto rounded-md border border-border font-mono text-xs" data-testid="restore-changes">
      {changes.slice(0, SHOWN_CHANGES).map((c) => (
        <li key={`${c.change}:${c.path}`} className="flex gap-2 border-b border-border/60 px-2 py-1 last:border-0">
          <span className={cn('w-16 shrink-0 font-sans font-semibold', c.change === 'add' ? 'text-ok' : c.change === 'remove' ? 'text-bad' : 'text-warn')}>
            {CHANGE_MARK[c.change]}
          </span>
          <span className="truncate" title={c.path}>
            {c.path}
          </span>
        </li>
      ))}
      {changes.length > SHOWN_CHANGES ? <li className="px-2 py-1 text-faint">…and {changes.length - SHOWN_CHANGES} more</li> : null}
    </ul>
  );
}

/** What a restore (or its dry run, or a resume/rollback) came to, in an operator's words. */
export function RestoreResultCard({ result }: { result: RestoreResultView }) {
  const outcome = OUTCOME[result.outcome];
  const facts =
    result.outcome === 'dry-run'
      ? `${result.changes.length} change${result.changes.length === 1 ? '' : 's'} would be made`
      : `${result.filesWritten} file${result.filesWritten === 1 ? '' : 's'} written (${formatBytes(result.bytesWritten)}), ${result.removed} removed, in ${(result.durationMs / 1000).toFixed(1)} s`;
  return (
    <div className="flex flex-col gap-2" data-testid="restore-result" data-outcome={result.outcome}>
      <div className={cn('rounded-md border px-3 py-2 text-sm', result.outcome === 'rolled-back' ? 'border-bad/40 bg-bad/10' : 'border-border bg-surface-2')}>
        <div className="flex flex-wrap items-center gap-2">
          <Badge tone={outcome.tone}>{result.outcome}</Badge>
          <span className="font-medium">{outcome.title}</span>
        </div>
        <p className="mt-1 text-xs text-muted">
          Snapshot <span className="font-mono">{result.snapshot.name}</span>: {facts}
          {result.gate && result.gate.checks.length > 0
            ? `; health gate ${result.gate.ok ? 'passed' : 'failed'} (${result.gate.checks.length} check${result.gate.checks.length === 1 ? '' : 's'}, ${(result.gate.durationMs / 1000).toFixed(1)} s)`
            : ''}
          .
        </p>
        {result.gate && !result.gate.ok ? (
          <ul className="text-xs text-bad" data-testid="gate-failures">
            {result.gate.checks
              .filter((c) => !c.ok)
              .map((c) => (
                <li key={c.check}>
                  <span className="font-mono">{c.check}</span>: {c.message}
                </li>
              ))}
          </ul>
        ) : null}
        {result.rollbackReason ? (
          <p className="mt-1 text-xs text-bad" data-testid="rollback-reason">
            Why: {result.rollbackReason}
          </p>
        ) : null}
      </div>
      <RestoreChanges changes={result.changes} />
    </div>
  );
}

/** The last step of a restore or settle dialog: what happened, and the way out. */
export function RestoreFinished({ result, onDone }: { result: RestoreResultView; onDone: () => void }) {
  return (
    <div className="flex flex-col gap-4">
      <RestoreResultCard result={result} />
      <div className="flex justify-end">
        <Button variant="primary" onClick={onDone} data-testid="restore-done">
          Done
        </Button>
      </div>
    </div>
  );
}
