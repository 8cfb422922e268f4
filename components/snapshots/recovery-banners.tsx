'use client';

import { useState } from 'react';
import { canAdminister, type Principal } from '@/lib/auth/roles';
import type { GoldenStatusView, PendingRestoreView } from '@/lib/recovery/recovery-views';
import { formatRelative } from '@/lib/format';
import { useRecoveryQuery } from '../queries/use-recovery-query';
import { Button } from '../ui/button';
import { SettleDialog } from './settle-dialog';

function PendingRestoreBanner({ pending, principal }: { pending: PendingRestoreView; principal: Principal }) {
  const [action, setAction] = useState<'resume' | 'rollback' | null>(null);
  return (
    <div
      role="alert"
      data-testid="pending-restore-banner"
      className="flex flex-wrap items-center justify-between gap-3 rounded-md border border-crit/60 bg-crit/15 px-4 py-3 text-sm text-crit"
    >
      <div className="min-w-0 flex-1 basis-96">
        <strong className="font-semibold">A golden restore was interrupted.</strong> Restore of <span className="font-mono">{pending.snapshotName}</span> by{' '}
        {pending.actor} stopped in phase <span className="font-mono">{pending.phase}</span> ({formatRelative(pending.startedAt)}). The files may be
        half-restored; no other snapshot operation runs until it is resumed or rolled back.
      </div>
      {canAdminister(principal) ? (
        <div className="flex shrink-0 gap-2">
          <Button variant="primary" onClick={() => setAction('resume')} data-testid="pending-resume">
            Resume
          </Button>
          <Button variant="danger" onClick={() => setAction('rollback')} data-testid="pending-rollback">
            Roll back
          </Button>
        </div>
      ) : (
        <span className="text-xs">An administrator must resume or roll it back.</span>
      )}
      <SettleDialog action={action} snapshotName={pending.snapshotName} onClose={() => setAction(null)} />
    </div>
  );
}

function StaleGoldenBanner({ golden }: { golden: GoldenStatusView }) {
  return (
    <div role="status" data-testid="golden-stale-banner" className="rounded-md border border-warn/50 bg-warn/10 px-4 py-2.5 text-sm text-warn">
      <strong className="font-semibold">No recent golden snapshot.</strong>{' '}
      {golden.newest
        ? `The newest verified golden snapshot, ${golden.newest.name}, was taken ${formatRelative(golden.newest.createdAt)}; the policy wants one younger than ${golden.maxAgeHours} h.`
        : `There is no verified golden snapshot; the policy wants one younger than ${golden.maxAgeHours} h.`}{' '}
      Create one tagged golden and verify it.
    </div>
  );
}

/** Dashboard-wide warnings from golden recovery, above every panel. */
export function RecoveryBanners({ principal }: { principal: Principal }) {
  const { data } = useRecoveryQuery();
  if (!data) return null;
  return (
    <>
      {data.pendingRestore ? <PendingRestoreBanner pending={data.pendingRestore} principal={principal} /> : null}
      {data.golden.stale && (data.sources.length > 0 || data.snapshots.length > 0) ? <StaleGoldenBanner golden={data.golden} /> : null}
    </>
  );
}
