import type { AuditEventInput } from '@/lib/audit/types';
import type { Database } from '../db/client';
import { newestCheckpointAtOrBelow } from '../queries/audit-checkpoints';
import { readSetting, writeSetting } from '../queries/settings';
import { ANCHOR_SETTING } from './verification-state';
import { checkpointSignatureValid, type CheckpointVerifyKey, type SignedCheckpoint } from './checkpoint-key';
import { storedEventHashAt } from './stored-events';

export interface PruneOptions {
  database: Database;
  key: CheckpointVerifyKey;
  retentionMs: number;
  now: Date;
  record: (event: AuditEventInput) => Promise<unknown>;
}

export type PruneOutcome = { pruned: number; anchor: SignedCheckpoint } | { pruned: 0; skipped: string };

/**
 * Deletes events older than the retention, but only up to the newest signed checkpoint
 * below the cutoff: that checkpoint becomes the anchor verification starts from, so the
 * pruned prefix is vouched for by a signature instead of by the deleted rows.
 */
export async function pruneAuditTrail({ database, key, retentionMs, now, record }: PruneOptions): Promise<PruneOutcome> {
  const db = database.prisma;
  const cutoff = new Date(now.getTime() - retentionMs);
  const newestOld = await db.auditEvent.findFirst({ where: { at: { lt: cutoff } }, orderBy: { seq: 'desc' }, select: { seq: true } });
  if (!newestOld) return { pruned: 0, skipped: 'no event is older than the retention' };
  const checkpoint = await newestCheckpointAtOrBelow(db, newestOld.seq);
  if (!checkpoint) return { pruned: 0, skipped: 'no signed checkpoint below the cutoff yet' };
  const current = await readSetting<SignedCheckpoint>(db, ANCHOR_SETTING);
  if (current && current.seq >= checkpoint.seq) return { pruned: 0, skipped: 'already pruned up to the newest usable checkpoint' };
  const stored = await storedEventHashAt(database, checkpoint.seq);
  if (!checkpointSignatureValid(key, checkpoint) || !stored || stored.hash !== checkpoint.hash) {
    return { pruned: 0, skipped: `checkpoint #${checkpoint.seq} does not verify; nothing is pruned` };
  }
  // Anchor first: if the delete is interrupted, verification from the anchor still holds.
  await writeSetting(db, ANCHOR_SETTING, checkpoint);
  const { count } = await db.auditEvent.deleteMany({ where: { seq: { lte: checkpoint.seq } } });
  await record({
    type: 'audit.pruned',
    severity: 'notice',
    actor: 'system',
    action: 'prune audit events',
    module: 'audit',
    reason: `retention of ${Math.round(retentionMs / 86_400_000)} days`,
    method: 'retention',
    details: { deleted: count, throughSeq: checkpoint.seq, anchorKeyId: checkpoint.keyId },
  });
  return { pruned: count, anchor: checkpoint };
}
