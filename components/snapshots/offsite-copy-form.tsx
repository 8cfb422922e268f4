'use client';

import { useState } from 'react';
import { useRecoveryProgress, useRecoveryQuery } from '../queries/use-recovery-query';
import { useOffsiteCopy } from '../queries/use-offsite-query';
import { Button } from '../ui/button';
import { FormError, Select } from '../ui/field';
import { RecoveryProgressBar } from './recovery-progress';

/** Copies a local snapshot into one repository, with restic's upload progress as the worker relays it. */
export function OffsiteCopyForm({ repo }: { repo: string }) {
  const recovery = useRecoveryQuery();
  const snapshots = recovery.data?.snapshots ?? [];
  const [chosen, setChosen] = useState('');
  const copy = useOffsiteCopy();
  const progress = useRecoveryProgress(null);
  const ref = chosen || snapshots[0]?.name || '';
  const running = copy.isPending && progress && !progress.finished && progress.operation === 'offsite-copy' ? progress : null;
  return (
    <form
      className="mt-2 flex flex-col gap-2"
      onSubmit={(event) => {
        event.preventDefault();
        if (ref) copy.mutate({ ref, to: repo });
      }}
    >
      <div className="flex flex-wrap items-center gap-2">
        <Select
          className="h-8 w-auto min-w-0 flex-1 font-mono text-xs"
          value={ref}
          onChange={(e) => setChosen(e.target.value)}
          disabled={copy.isPending || snapshots.length === 0}
          aria-label={`Snapshot to copy to ${repo}`}
          data-testid="offsite-copy-snapshot"
        >
          {snapshots.length === 0 ? <option value="">no snapshots yet</option> : null}
          {snapshots.map((snapshot) => (
            <option key={snapshot.id} value={snapshot.name}>
              {snapshot.name}
            </option>
          ))}
        </Select>
        <Button type="submit" className="h-8 px-3 text-xs" disabled={!ref || copy.isPending} data-testid="offsite-copy-submit">
          {copy.isPending ? 'Copying…' : `Copy to ${repo}`}
        </Button>
      </div>
      {running ? <RecoveryProgressBar progress={running} /> : null}
      {copy.data ? (
        <p className="text-xs text-ok" role="status" data-testid="offsite-copy-done">
          Copied {copy.data.snapshotName} to {copy.data.repo} (restic snapshot <span className="font-mono">{copy.data.resticId.slice(0, 8)}</span>).
        </p>
      ) : null}
      <FormError message={copy.error ? `Copy failed: ${copy.error.message}` : null} />
    </form>
  );
}
