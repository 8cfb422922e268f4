'use client';

import { useState } from 'react';
import { formatBytes } from '@/lib/format';
import { usePruneSnapshots } from '../queries/use-recovery-mutations';
import { Button } from '../ui/button';
import { Dialog } from '../ui/dialog';
import { FormError } from '../ui/field';

/** Retention: operators see what the policy would drop; admins drop it. */
export function PruneDialog({ canDelete }: { canDelete: boolean }) {
  const [open, setOpen] = useState(false);
  const preview = usePruneSnapshots();
  const prune = usePruneSnapshots();
  const openDialog = () => {
    prune.reset();
    preview.mutate({ dryRun: true });
    setOpen(true);
  };
  const plan = preview.data;
  const done = prune.data;

  return (
    <>
      <Button variant="ghost" onClick={openDialog} data-testid="snapshot-prune-open">
        Prune…
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title="Prune snapshots" testId="snapshot-prune-dialog">
        <div className="flex flex-col gap-4 text-sm">
          <p className="text-muted">
            The retention policy (config file, <span className="font-mono">snapshots.retention</span>) keeps the newest snapshots and one a day and a week for a
            while; blobs no kept snapshot uses are freed.
          </p>
          {preview.isPending ? <p className="text-muted">Working out what the policy would remove…</p> : null}
          {plan && !done ? (
            plan.removedSnapshots.length === 0 ? (
              <p className="rounded-md border border-border bg-surface-2 px-3 py-2">Nothing to prune: all {plan.keptSnapshots} snapshots are kept.</p>
            ) : (
              <div className="rounded-md border border-border bg-surface-2 px-3 py-2">
                <p>
                  Would remove {plan.removedSnapshots.length} snapshot{plan.removedSnapshots.length === 1 ? '' : 's'} and free {formatBytes(plan.freedBytes)};{' '}
                  {plan.keptSnapshots} kept.
                </p>
                <p className="mt-1 font-mono text-xs text-muted">{plan.removedSnapshots.join(', ')}</p>
              </div>
            )
          ) : null}
          {done ? (
            <p className="rounded-md border border-ok/40 bg-ok/10 px-3 py-2 text-ok">
              Removed {done.removedSnapshots.length} snapshots and {done.removedBlobs} blobs, freed {formatBytes(done.freedBytes)}.
            </p>
          ) : null}
          <FormError message={(prune.error ?? preview.error)?.message ?? null} />
          <div className="flex justify-end gap-2">
            <Button variant="ghost" onClick={() => setOpen(false)}>
              Close
            </Button>
            {canDelete && !done ? (
              <Button
                variant="danger"
                disabled={!plan || plan.removedSnapshots.length === 0 || prune.isPending}
                onClick={() => prune.mutate({ dryRun: false })}
                data-testid="snapshot-prune-submit"
              >
                {prune.isPending ? 'Pruning…' : 'Prune now'}
              </Button>
            ) : null}
          </div>
        </div>
      </Dialog>
    </>
  );
}
