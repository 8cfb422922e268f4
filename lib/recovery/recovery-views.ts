import type { RecoveryProgress, RestoreChange, SnapshotHeader } from './snapshot-schema';

// What the operator API answers about snapshots, as the browser reads it. The worker's own
// types (server/recovery) must stay assignable to these: their handlers, typed by the contracts
// in server/contracts/recovery-contracts.ts, fail the type check the day they drift apart.

export interface GoldenStatusView {
  newest: Pick<SnapshotHeader, 'id' | 'name' | 'createdAt'> | null;
  verifiedAt: string | null;
  maxAgeHours: number;
  /** True when there is no verified golden snapshot younger than the policy allows. */
  stale: boolean;
}

export interface PendingRestoreView {
  snapshotName: string;
  startedAt: string;
  phase: string;
  actor: string;
}

export interface RecoveryOverviewView {
  snapshots: SnapshotHeader[];
  golden: GoldenStatusView;
  pendingRestore: PendingRestoreView | null;
  running: RecoveryProgress | null;
  sources: { name: string; path: string }[];
  storePath: string;
}

export interface RestoreResultView {
  snapshot: Pick<SnapshotHeader, 'id' | 'name' | 'manifestHash'>;
  outcome: 'restored' | 'dry-run' | 'rolled-back' | 'up-to-date';
  changes: RestoreChange[];
  filesWritten: number;
  bytesWritten: number;
  removed: number;
  durationMs: number;
  /** The health gate after the restart hook; `checks` is empty when none are configured. */
  gate: { ok: boolean; checks: { check: string; ok: boolean; message: string }[]; durationMs: number } | null;
  rollbackReason?: string;
}

export interface DiffLineView {
  path: string;
  change: 'added' | 'removed' | 'changed';
  /** Content hashes (files) or link targets, before and after; absent for directories. */
  before?: string;
  after?: string;
}

export interface PruneResultView {
  removedSnapshots: string[];
  removedBlobs: number;
  freedBytes: number;
  keptSnapshots: number;
  dryRun: boolean;
}
