'use client';

import { useState } from 'react';
import { formatRelative } from '@/lib/format';
import type { OffsiteCopyView } from '@/lib/recovery/offsite-views';
import { useOffsiteListing } from '../queries/use-offsite-query';
import { useRecoveryProgress } from '../queries/use-recovery-query';
import { Button } from '../ui/button';
import { cn } from '../ui/cn';
import { DataTable, Td, Tr, WIDE_ONLY } from '../ui/data-table';
import { FormError } from '../ui/field';
import { RestoreDialog } from './restore-dialog';

/** What restic holds in one repository now, each copy restorable (by admins, as the golden restore is). */
export function OffsiteListing({ repo, canRestore, now }: { repo: string; canRestore: boolean; now: number }) {
  const listing = useOffsiteListing(repo, true);
  const progress = useRecoveryProgress(null);
  const [restoring, setRestoring] = useState<OffsiteCopyView | null>(null);
  if (listing.isError) return <FormError message={`Could not list ${repo}: ${listing.error.message}`} />;
  if (!listing.data) return <p className="mt-2 text-xs text-faint">Asking restic what {repo} holds…</p>;
  return (
    <div className="mt-2 rounded-md border border-border px-4 pt-2">
      {/* Beside the panel's own table of recorded copies: this one is restic's answer, asked just now. */}
      <p className="text-xs font-medium text-muted">What restic holds in {repo} now</p>
      <DataTable
        className="min-w-[300px] text-xs"
        testId={`offsite-listing-${repo}`}
        label={`Copies in ${repo}`}
        columns={['Snapshot', { label: 'restic id', wide: true }, 'Copied', { label: '', align: 'right' }]}
        empty={listing.data.length === 0 ? `No Vigil snapshots in ${repo} yet.` : undefined}
      >
        {listing.data.map((copy) => (
          <Tr key={copy.resticId}>
            <Td className="font-mono">{copy.snapshotName}</Td>
            <Td className={cn('font-mono text-muted', WIDE_ONLY)}>{copy.resticId.slice(0, 8)}</Td>
            <Td className="whitespace-nowrap">{formatRelative(copy.copiedAt, now)}</Td>
            <Td className="text-right">
              {canRestore ? (
                <Button
                  variant="ghost"
                  className="h-7 px-2 text-xs"
                  onClick={() => setRestoring(copy)}
                  aria-label={`Restore ${copy.snapshotName} from ${repo}`}
                >
                  Restore…
                </Button>
              ) : null}
            </Td>
          </Tr>
        ))}
      </DataTable>
      {restoring ? <RestoreDialog from={restoring} progress={progress} open onClose={() => setRestoring(null)} /> : null}
    </div>
  );
}
