import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendAuditBatch } from '../queries/audit';
import { createMigratedDatabase, makeTempDir, PROVIDERS, type MigratedDatabase, type TempDir } from '../test-support';
import { verifyAuditTrail } from './audit-verifier';
import { loadCheckpointKey, type CheckpointKey } from './checkpoint-key';
import { toPendingEvent } from './pending-event';

// Verification goes on past a break, so every tampered event is named, on one thread or in pieces.
describe.each(PROVIDERS)('verification names every broken event (%s)', (provider) => {
  let db: MigratedDatabase;
  let tmp: TempDir;
  let key: CheckpointKey;
  const exec = (sql: string) => db.database.prisma.$executeRawUnsafe(sql);

  beforeEach(async () => {
    db = await createMigratedDatabase(provider);
    tmp = makeTempDir();
    key = loadCheckpointKey(tmp.join('k'), { create: true })!;
    await appendAuditBatch(
      db.database,
      Array.from({ length: 30 }, (_, i) => toPendingEvent({ type: 't', severity: 'info', actor: 'a', action: `x${i}`, details: { i } })),
    );
  });

  afterEach(async () => {
    await db.destroy();
    tmp.remove();
  });

  it.each([
    ['on the main thread', {}],
    ['in three pieces on threads', { parallelFrom: 1, threads: 3, offThreadFrom: 1 }],
  ])('edits, a re-hashed event and a deleted one, %s', async (_where, parallel) => {
    await exec(`UPDATE "AuditEvent" SET "actor" = 'someone else' WHERE "seq" = 3`);
    // Re-hashed by someone without the chain's history: its own hash fits, the next link does not.
    await exec(`UPDATE "AuditEvent" SET "hash" = '${'f'.repeat(64)}' WHERE "seq" = 12`);
    await exec(`DELETE FROM "AuditEvent" WHERE "seq" = 21`);
    await exec(`UPDATE "AuditEvent" SET "details" = '{"i":0}' WHERE "seq" = 28`);
    const result = await verifyAuditTrail({ database: db.database, key, mode: 'full', parallel });
    expect(result).toMatchObject({ ok: false, firstBadSeq: 3, problem: 'hash-mismatch', verifiedThrough: { seq: 2 } });
    expect(result.breaks).toEqual([
      { seq: 3, problem: 'hash-mismatch' },
      { seq: 12, problem: 'hash-mismatch' },
      { seq: 13, problem: 'prev-hash-mismatch' },
      { seq: 21, problem: 'seq-gap' },
      { seq: 28, problem: 'hash-mismatch' },
    ]);
  });
});
