import type { Db } from '../db/client';

/**
 * Checkpoints signed by one replica must verify on every other, so replicas share the audit
 * signing key. A new leader whose key is not the one the latest checkpoint names says so.
 */
export async function foreignCheckpointKey(db: Db, ownKeyId: string): Promise<string | null> {
  const latest = await db.auditCheckpoint.findFirst({ orderBy: { seq: 'desc' }, select: { keyId: true } });
  return latest && latest.keyId !== ownKeyId ? latest.keyId : null;
}
