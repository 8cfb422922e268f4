import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertCheckpoint } from '../queries/audit-checkpoints';
import { appendAuditBatch } from '../queries/audit';
import { createMigratedDatabase, makeTempDir, silentLogger, type MigratedDatabase, type TempDir } from '../test-support';
import { AuditWriter } from './audit-writer';
import { verifyAuditTrail } from './audit-verifier';
import { loadCheckpointKey, signCheckpoint, type CheckpointKey } from './checkpoint-key';
import { pruneAuditTrail } from './retention';
import { toPendingEvent } from './pending-event';

const DAY = 86_400_000;

describe("an agent's retention and the events its console has not got yet", () => {
  let db: MigratedDatabase;
  let tmp: TempDir;
  let key: CheckpointKey;
  let writer: AuditWriter;

  beforeEach(async () => {
    db = await createMigratedDatabase('sqlite');
    tmp = makeTempDir();
    key = loadCheckpointKey(tmp.join('audit.key'), { create: true })!;
    writer = new AuditWriter({ database: db.database, spoolFile: tmp.join('spool.ndjson'), log: silentLogger() });
    await writer.start();
    // Ten events received 40 days ago, signed checkpoints at 4 and 8: all of it is past a 30-day retention.
    const longAgo = new Date(Date.now() - 40 * DAY);
    const old = Array.from({ length: 10 }, (_, i) => toPendingEvent({ type: 't', severity: 'info', actor: 'a', action: `old ${i}` }));
    const linked = await appendAuditBatch(db.database, old, undefined, longAgo);
    for (const seq of [4, 8]) await insertCheckpoint(db.database.prisma, signCheckpoint(key, { seq, hash: linked[seq - 1].hash, at: longAgo.toISOString() }));
  });

  afterEach(async () => {
    await writer.close();
    await db.destroy();
    tmp.remove();
  });

  const prune = (deliveredThrough: number | undefined) =>
    pruneAuditTrail({ database: db.database, key, retentionMs: 30 * DAY, now: new Date(), record: (event) => writer.append(event), deliveredThrough });

  it('never deletes an event above what the console acknowledged, however old', async () => {
    expect(await prune(6)).toMatchObject({ pruned: 4, anchor: { seq: 4 } });
    const left = await db.database.prisma.auditEvent.findMany({ where: { type: 't' }, select: { seq: true }, orderBy: { seq: 'asc' } });
    expect(left.map((row) => row.seq)).toEqual([5, 6, 7, 8, 9, 10]);
    expect(await verifyAuditTrail({ database: db.database, key, mode: 'full' })).toMatchObject({ ok: true, fromSeq: 4 });
  });

  it('deletes nothing while the console has acknowledged nothing (before the first welcome, or never)', async () => {
    expect(await prune(0)).toMatchObject({ pruned: 0, skipped: expect.stringContaining('delivered to the fleet console') });
    expect(await db.database.prisma.auditEvent.count({ where: { type: 't' } })).toBe(10);
  });

  it('prunes as before on a worker that reports to no console', async () => {
    expect(await prune(undefined)).toMatchObject({ pruned: 8, anchor: { seq: 8 } });
  });
});
