import { threadId } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '@/lib/audit/hash-chain';
import { appendAuditBatch } from '../queries/audit';
import { insertCheckpoint } from '../queries/audit-checkpoints';
import { createMigratedDatabase, makeTempDir, PROVIDERS, type MigratedDatabase, type TempDir } from '../test-support';
import { verifyAuditTrail } from './audit-verifier';
import { loadCheckpointKey, signCheckpoint, type CheckpointKey } from './checkpoint-key';
import { scanChain } from './parallel-scan';
import { toPendingEvent } from './pending-event';

// The threaded path (large ranges) with the threshold lowered: the same verdicts
// as the sequential path, including breaks that fall on a boundary between pieces.
const GENESIS = { seq: 0, hash: GENESIS_HASH };

describe.each(PROVIDERS)('parallel verification on %s', (provider) => {
  let db: MigratedDatabase;
  let tmp: TempDir;
  let key: CheckpointKey;
  const exec = (sql: string) => db.database.prisma.$executeRawUnsafe(sql);
  const verify = () => verifyAuditTrail({ database: db.database, key, mode: 'full', parallel: { parallelFrom: 1, threads: 3 } });

  beforeEach(async () => {
    db = await createMigratedDatabase(provider);
    tmp = makeTempDir();
    key = loadCheckpointKey(tmp.join('k'), { create: true })!;
    const linked = await appendAuditBatch(
      db.database,
      Array.from({ length: 30 }, (_, i) => toPendingEvent({ type: 't', severity: 'info', actor: 'a', action: `x${i}`, details: { i } })),
    );
    await insertCheckpoint(db.database.prisma, signCheckpoint(key, { seq: 15, hash: linked[14].hash, at: new Date().toISOString() }));
  });
  afterEach(async () => {
    await db.destroy();
    tmp.remove();
  });

  it('verifies a good chain in pieces', async () => {
    expect(await verify()).toMatchObject({ ok: true, events: 30, checkpointsChecked: 1, verifiedThrough: { seq: 30 } });
  });

  it('names an edit inside a piece', async () => {
    await exec(`UPDATE "AuditEvent" SET "details" = '{"i":0}' WHERE "seq" = 25`);
    expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 25, problem: 'hash-mismatch' });
  });

  it('names a deleted first row of a piece and a deleted last row of a piece', async () => {
    await exec(`DELETE FROM "AuditEvent" WHERE "seq" = 11`);
    expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 11, problem: 'seq-gap' });
    await exec(`DELETE FROM "AuditEvent" WHERE "seq" = 10`);
    expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 10, problem: 'seq-gap' });
  });

  it('names a piece that does not link to the one before it', async () => {
    await exec(`UPDATE "AuditEvent" SET "prevHash" = '${'e'.repeat(64)}' WHERE "seq" = 21`);
    expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 21, problem: 'prev-hash-mismatch' });
  });

  it('names a whole missing piece', async () => {
    await exec(`DELETE FROM "AuditEvent" WHERE "seq" > 10 AND "seq" <= 20`);
    expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 11, problem: 'seq-gap' });
  });

  it('verifies events attributed to other hosts and names one moved to another host', async () => {
    const fromAgents = [3, 1, 7, 3].map((hostId, i) => ({ ...toPendingEvent({ type: 't', severity: 'info', actor: 'agent', action: `y${i}` }), hostId }));
    await appendAuditBatch(db.database, fromAgents);
    expect(await verify()).toMatchObject({ ok: true, events: 34 });
    const rows = await db.database.prisma.auditEvent.findMany({ where: { seq: { gt: 30 } }, orderBy: { seq: 'asc' }, select: { hostId: true } });
    expect(rows.map((r) => r.hostId)).toEqual([3, 1, 7, 3]);
    await exec(`UPDATE "AuditEvent" SET "hostId" = 1 WHERE "seq" = 33`);
    expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 33, problem: 'hash-mismatch' });
    await exec(`UPDATE "AuditEvent" SET "hostId" = 2 WHERE "seq" = 12`);
    expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 12, problem: 'hash-mismatch' });
  });

  // Everything on this copy works in place; only a verification thread would open the broken source.
  const withBrokenThreadSource = () => {
    const { sqlite } = db.database;
    const broken = sqlite ? { sqlite: Object.create(sqlite, { name: { value: tmp.join('missing.db') } }) } : { url: 'postgresql://nobody@127.0.0.1:1/none' };
    return { ...db.database, ...broken } as typeof db.database;
  };

  it('reports a thread that cannot open the database', async () => {
    await expect(scanChain(withBrokenThreadSource(), GENESIS, 30, [], { parallelFrom: 1, threads: 2, offThreadFrom: 1 })).rejects.toThrow(
      /verification thread failed/,
    );
  });

  it('scans off the main thread from the given size on, and small ranges in place', async () => {
    const main = await scanChain(db.database, GENESIS, 30, [], { offThreadFrom: 31 });
    expect(main).toMatchObject({ events: 30, failure: null, threadIds: [threadId] });
    const one = await scanChain(db.database, GENESIS, 30, [], { offThreadFrom: 30 });
    expect(one).toMatchObject({ events: 30, failure: null });
    expect(one.threadIds).toHaveLength(1);
    expect(one.threadIds[0]).not.toBe(threadId);
  });

  it('runs a full verification of any length in a thread, a small incremental one in place', async () => {
    const database = withBrokenThreadSource();
    await expect(verifyAuditTrail({ database, key, mode: 'full' })).rejects.toThrow(/verification thread failed/);
    expect(await verifyAuditTrail({ database, key, mode: 'incremental' })).toMatchObject({ ok: true, events: 30 });
  });
});
