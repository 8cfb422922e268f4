'use client';

import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { canAdminister, canOperate, type Principal } from '@/lib/auth/roles';
import type { GoldenStatusView } from '@/lib/recovery/recovery-views';
import type { RecoveryProgress, SnapshotHeader } from '@/lib/recovery/snapshot-schema';
import { formatRelative } from '@/lib/format';
import { useVerifySnapshot } from '../queries/use-recovery-mutations';
import { queryKeys } from '../queries/query-keys';
import { useRecoveryProgress, useRecoveryQuery } from '../queries/use-recovery-query';
import { Button } from '../ui/button';
import { FormError } from '../ui/field';
import { Panel } from '../ui/panel';
import { CreateSnapshotDialog } from './create-snapshot-dialog';
import { PruneDialog } from './prune-dialog';
import { RecoveryProgressBar } from './recovery-progress';
import { RestoreDialog } from './restore-dialog';
import { SnapshotTable } from './snapshot-table';
import { SnapshotsEmpty } from './snapshots-empty';

function GoldenSubtitle({ golden, now }: { golden: GoldenStatusView; now: number }) {
  if (!golden.newest) return <span className="text-warn">no verified golden snapshot</span>;
  return (
    <span className={golden.stale ? 'text-warn' : undefined}>
      golden: <span className="font-mono">{golden.newest.name}</span>, taken {formatRelative(golden.newest.createdAt, now)}
      {golden.verifiedAt ? `, verified ${formatRelative(golden.verifiedAt, now)}` : ''}
    </span>
  );
}

function VerifyOutcome({ name, ok, problems }: { name: string; ok: boolean; problems: number }) {
  return ok ? (
    <p className="mb-3 rounded-md border border-ok/40 bg-ok/10 px-3 py-2 text-sm text-ok" role="status" data-testid="verify-outcome">
      <span className="font-mono">{name}</span> verified: every blob matches its SHA-256.
    </p>
  ) : (
    <p className="mb-3 rounded-md border border-bad/40 bg-bad/10 px-3 py-2 text-sm text-bad" role="alert" data-testid="verify-outcome">
      <span className="font-mono">{name}</span> is damaged: {problems} problem{problems === 1 ? '' : 's'}. Open its verification badge for the list.
    </p>
  );
}

const newestFirst = (a: SnapshotHeader, b: SnapshotHeader) => b.createdAt.localeCompare(a.createdAt);

/**
 * True from the moment a snapshot is reported finished until the list has it: the report comes
 * over the socket before the list is fetched again, and "finished" above "No snapshots yet"
 * read as a lost snapshot. Asks for the list again meanwhile.
 */
function useAwaitingNewSnapshot(progress: RecoveryProgress | null, snapshots: SnapshotHeader[] | undefined): boolean {
  const client = useQueryClient();
  const awaiting =
    progress !== null &&
    progress.finished &&
    progress.ok !== false &&
    progress.operation === 'create' &&
    !(snapshots ?? []).some((s) => s.name === progress.snapshot);
  useEffect(() => {
    if (awaiting) void client.invalidateQueries({ queryKey: queryKeys.recovery() });
  }, [awaiting, client]);
  return awaiting;
}

/** Golden recovery on the dashboard: snapshots, their verification, restore and live progress. */
export function RecoveryPanel({ principal, now }: { principal: Principal; now: number }) {
  const overview = useRecoveryQuery();
  const data = overview.data;
  const progress = useRecoveryProgress(data?.running ?? null);
  const verify = useVerifySnapshot();
  const [restoring, setRestoring] = useState<SnapshotHeader | null>(null);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const running = progress !== null && !progress.finished;
  const awaitingNew = useAwaitingNewSnapshot(progress, data?.snapshots);
  const operator = canOperate(principal);

  const actions = (
    <>
      {operator && data ? <PruneDialog canDelete={canAdminister(principal)} /> : null}
      {operator && data ? <CreateSnapshotDialog sources={data.sources} progress={progress} /> : null}
    </>
  );

  return (
    <Panel title="Golden recovery" subtitle={data ? <GoldenSubtitle golden={data.golden} now={now} /> : undefined} actions={actions} testId="panel-recovery">
      {progress && progress.operationId !== dismissed ? (
        <div className="mb-3 flex items-start gap-2">
          <RecoveryProgressBar progress={progress} className="flex-1" />
          {progress.finished ? (
            <Button variant="ghost" className="h-7 px-2 text-xs" onClick={() => setDismissed(progress.operationId)} aria-label="Dismiss">
              ✕
            </Button>
          ) : null}
        </div>
      ) : null}
      {verify.data && verify.variables ? <VerifyOutcome name={verify.variables} ok={verify.data.ok} problems={verify.data.problems.length} /> : null}
      <div className="mb-3 empty:hidden">
        <FormError message={verify.error ? `Verify failed: ${verify.error.message}` : null} />
      </div>
      {overview.isError ? (
        <p className="text-sm text-bad">Could not load snapshots: {overview.error.message}</p>
      ) : !data ? (
        <p className="text-sm text-faint">Loading…</p>
      ) : awaitingNew && data.snapshots.length === 0 ? (
        <p className="text-sm text-faint">Loading the new snapshot…</p>
      ) : data.snapshots.length === 0 ? (
        <SnapshotsEmpty hasSources={data.sources.length > 0} storePath={data.storePath} />
      ) : (
        <SnapshotTable
          snapshots={[...data.snapshots].sort(newestFirst)}
          now={now}
          actions={{
            canVerify: operator,
            canRestore: canAdminister(principal),
            verifying: verify.isPending ? (verify.variables ?? null) : null,
            busy: running || verify.isPending || data.pendingRestore !== null,
            onVerify: (name) => verify.mutate(name),
            onRestore: setRestoring,
          }}
        />
      )}
      {restoring ? <RestoreDialog snapshot={restoring} progress={progress} open onClose={() => setRestoring(null)} /> : null}
    </Panel>
  );
}
