export { RecoveryService, goldenStatus, type RecoveryOverview, type GoldenStatus, type AuditSink } from './recovery-service';
export { RecoveryError } from './recovery-error';
export { vigilStateAccess } from './vigil-state';
export type { RestoreResult } from './restore-snapshot';
export type { PruneResult } from './prune-snapshots';
export type { DiffLine } from './diff-snapshots';
export type { VerifyResult } from './verify-snapshot';
export { RecoveryScheduler } from './recovery-scheduler';
// Shared with file integrity, which walks and hashes trees the same way.
export { walkTree, type WalkedEntry } from './tree-walk';
export { hashFile } from './blob-io';
export { writeFileAtomic } from './fs-atomic';
export { runPool } from './pool';
