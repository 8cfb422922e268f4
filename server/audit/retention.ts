import type { AuditEventInput } from '@/lib/audit/types';
import type { Database, Db } from '../db/client';
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
  /**
   * On a fleet agent, the last of its events the console acknowledged: its chain is the queue of
   * what the console has yet to receive, so nothing above this is deleted, however old.
   */
  deliveredThrough?: number;
}

export type PruneOutcome = { pruned: number; anchor: SignedCheckpoint } | { pruned: 0; skipped: string };

/**
 * The newest event Vigil received before `cutoff`. Retention goes by the receive time, never
 * by `at`: a reporter may date an event 1970, and that must not make every event committed
 * before it look old. The receive time grows with seq, so a binary search over seq finds the
 * boundary in a few point reads, without an index to maintain on every append. Rows without
 * one count as recent.
 */
async function newestReceivedBefore(db: Db, cutoff: Date): Promise<number | null> {
  const [first, last] = await Promise.all([
    db.auditEvent.findFirst({ orderBy: { seq: 'asc' }, select: { seq: true } }),
    db.auditEvent.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true } }),
  ]);
  if (!first || !last) return null;
  let low = first.seq;
  let high = last.seq;
  let found: number | null = null;
  while (low <= high) {
    const middle = Math.floor((low + high) / 2);
    const row = await db.auditEvent.findFirst({ where: { seq: { gte: middle } }, orderBy: { seq: 'asc' }, select: { seq: true, receivedAt: true } });
    if (row?.receivedAt && row.receivedAt < cutoff) {
      found = row.seq;
      low = row.seq + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

/**
 * Deletes events received before the retention, but only up to the newest signed checkpoint
 * below the cutoff: that checkpoint becomes the anchor verification starts from, so the
 * pruned prefix is vouched for by a signature instead of by the deleted rows.
 */
export async function pruneAuditTrail({ database, key, retentionMs, now, record, deliveredThrough }: PruneOptions): Promise<PruneOutcome> {
  const db = database.prisma;
  if (deliveredThrough === 0) return { pruned: 0, skipped: 'no event was delivered to the fleet console yet' };
  const cutoff = new Date(now.getTime() - retentionMs);
  const received = await newestReceivedBefore(db, cutoff);
  if (received === null) return { pruned: 0, skipped: 'no event is older than the retention' };
  const newestOld = Math.min(received, deliveredThrough ?? Infinity);
  const checkpoint = await newestCheckpointAtOrBelow(db, newestOld);
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
