import type { Db } from '../db/client';
import { fromSqliteDate, prismaOf, sqliteOf, type Store } from '../db/store';
import type { SignedCheckpoint } from '../audit/checkpoint-key';

type CheckpointRow = Awaited<ReturnType<Db['auditCheckpoint']['findFirstOrThrow']>>;

function fromCheckpointRow(row: CheckpointRow): SignedCheckpoint {
  return { seq: row.seq, hash: row.hash, at: row.at.toISOString(), keyId: row.keyId, signature: row.signature };
}

/** Idempotent: a checkpoint for a seq that already has one is kept as it was. */
export async function insertCheckpoint(db: Db, checkpoint: SignedCheckpoint): Promise<boolean> {
  const existing = await db.auditCheckpoint.findUnique({ where: { seq: checkpoint.seq } });
  if (existing) return false;
  await db.auditCheckpoint.create({ data: { ...checkpoint, at: new Date(checkpoint.at) } });
  return true;
}

export async function latestCheckpoint(store: Store): Promise<SignedCheckpoint | null> {
  const sqlite = sqliteOf(store);
  if (sqlite) {
    const row = sqlite.prepare('SELECT "seq", "hash", "at", "keyId", "signature" FROM "AuditCheckpoint" ORDER BY "seq" DESC LIMIT 1').get() as
      (Omit<SignedCheckpoint, 'at'> & { at: string | number }) | undefined;
    return row ? { ...row, at: fromSqliteDate(row.at).toISOString() } : null;
  }
  const row = await prismaOf(store).auditCheckpoint.findFirst({ orderBy: { seq: 'desc' } });
  return row ? fromCheckpointRow(row) : null;
}

/** Checkpoints with afterSeq < seq (≤ throughSeq when given), in seq order. */
export async function checkpointsAfter(db: Db, afterSeq: number, throughSeq?: number): Promise<SignedCheckpoint[]> {
  const rows = await db.auditCheckpoint.findMany({
    where: { seq: { gt: afterSeq, ...(throughSeq === undefined ? {} : { lte: throughSeq }) } },
    orderBy: { seq: 'asc' },
  });
  return rows.map(fromCheckpointRow);
}

/** The newest checkpoint at or below seq: what retention can anchor the pruned prefix on. */
export async function newestCheckpointAtOrBelow(db: Db, seq: number): Promise<SignedCheckpoint | null> {
  const row = await db.auditCheckpoint.findFirst({ where: { seq: { lte: seq } }, orderBy: { seq: 'desc' } });
  return row ? fromCheckpointRow(row) : null;
}

export async function checkpointPage(db: Db, afterSeq: number, take: number): Promise<SignedCheckpoint[]> {
  const rows = await db.auditCheckpoint.findMany({ where: { seq: { gt: afterSeq } }, orderBy: { seq: 'asc' }, take });
  return rows.map(fromCheckpointRow);
}
