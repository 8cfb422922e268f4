'use client';

import { useState } from 'react';
import type { VerificationSummary } from '@/lib/recovery/snapshot-schema';
import { formatRelative } from '@/lib/format';
import { Badge } from '../ui/badge';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';

const PROBLEM_TONE = { missing: 'text-orange', corrupt: 'text-bad', manifest: 'text-crit' } as const;

function ProblemsDialog({ snapshot, verification, onClose }: { snapshot: string; verification: VerificationSummary; onClose: () => void }) {
  return (
    <Dialog open onClose={onClose} title={`Snapshot ${snapshot} is damaged`} size="lg" testId="problems-dialog">
      <p className="mb-3 text-sm text-muted">
        Verification at {new Date(verification.at).toLocaleString()} found {verification.problems.length} problem{verification.problems.length === 1 ? '' : 's'}
        . A restore from this snapshot aborts before it writes anything.
      </p>
      <ul className="max-h-80 divide-y divide-border overflow-y-auto rounded-md border border-border text-sm">
        {verification.problems.map((problem, i) => (
          <li key={i} className="flex gap-3 px-3 py-1.5">
            <span className={`w-16 shrink-0 font-medium ${PROBLEM_TONE[problem.problem]}`}>{problem.problem}</span>
            <span className="min-w-0">
              <span className="block truncate font-mono text-xs">{problem.path}</span>
              <span className="block text-xs text-faint">{problem.message}</span>
            </span>
          </li>
        ))}
      </ul>
      <div className="mt-4 flex justify-end">
        <Button variant="ghost" onClick={onClose}>
          Close
        </Button>
      </div>
    </Dialog>
  );
}

/** Verified (when), damaged (with what, one click away) or never checked. */
export function VerificationCell({ snapshot, verification, now }: { snapshot: string; verification: VerificationSummary | null; now: number }) {
  const [open, setOpen] = useState(false);
  if (!verification) return <Badge testId="verification-state">never verified</Badge>;
  if (verification.ok) {
    return (
      <span className="inline-flex items-center gap-2" title={`${verification.files} files re-hashed at ${verification.at}`}>
        <Badge tone="ok" testId="verification-state">
          ✓ verified
        </Badge>
        <span className="text-xs text-muted">{formatRelative(verification.at, now)}</span>
      </span>
    );
  }
  return (
    <>
      <button type="button" onClick={() => setOpen(true)} className="inline-flex items-center gap-2" title="Show the problems">
        <Badge tone="bad" testId="verification-state">
          ✗ damaged · {verification.problems.length}
        </Badge>
        <span className="text-xs text-muted underline decoration-dotted">{formatRelative(verification.at, now)}</span>
      </button>
      {open ? <ProblemsDialog snapshot={snapshot} verification={verification} onClose={() => setOpen(false)} /> : null}
    </>
  );
}
