import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertCheckpoint } from '../queries/audit-checkpoints';
import { appendAuditBatch, readAuditHead } from '../queries/audit';
import { createMigratedDatabase, makeTempDir, PROVIDERS, silentLogger, type MigratedDatabase, type TempDir } from '../test-support';
import { AuditWriter } from './audit-writer';
import { verifyAuditTrail } from './audit-verifier';
import { loadCheckpointKey, signCheckpoint, type CheckpointKey } from './checkpoint-key';
import { pruneAuditTrail } from './retention';
import { toPendingEvent } from './pending-event';

const DAY = 86_400_000;

describe.each(PROVIDERS)('retention goes by the time Vigil received an event (%s)', (provider) => {
  let db: MigratedDatabase;
  let tmp: TempDir;
  let key: CheckpointKey;
  let writer: AuditWriter;

  beforeEach(async () => {
    db = await createMigratedDatabase(provider);
    tmp = makeTempDir();
    key = loadCheckpointKey(tmp.join('audit.key'), { create: true })!;
    writer = new AuditWriter({ database: db.database, spoolFile: tmp.join('spool.ndjson'), log: silentLogger() });
    await writer.start();
  });

  afterEach(async () => {
    await writer.close();
    await db.destroy();
    tmp.remove();
  });

  it('deletes nothing recent when one recent event says it happened in 1970', async () => {
    const recent = Array.from({ length: 1004 }, (_, i) =>
      writer.append({ type: 'app.request', severity: 'debug', actor: 'token:app', action: `request ${i}`, details: { i } }),
    );
    await Promise.all(recent);
    await writer.append({ type: 'app.custom', severity: 'info', actor: 'token:app', action: 'backdated', at: new Date('1970-01-01T00:00:00Z') });
    const head = await readAuditHead(db.database.prisma);
    await insertCheckpoint(db.database.prisma, signCheckpoint(key, { seq: head.seq, hash: head.hash, at: new Date().toISOString() }));

    const outcome = await pruneAuditTrail({ database: db.database, key, retentionMs: 30 * DAY, now: new Date(), record: (event) => writer.append(event) });

    expect(outcome).toMatchObject({ pruned: 0 });
    expect(await db.database.prisma.auditEvent.count()).toBe(1005);
    const backdated = await db.database.prisma.auditEvent.findUniqueOrThrow({ where: { seq: head.seq } });
    expect(backdated.at.toISOString()).toBe('1970-01-01T00:00:00.000Z');
    expect(Date.now() - backdated.receivedAt!.getTime()).toBeLessThan(60_000);
    expect(await verifyAuditTrail({ database: db.database, key, mode: 'full' })).toMatchObject({ ok: true, events: 1005 });
  });

  it('still prunes what was received before the retention, up to the newest checkpoint there', async () => {
    const longAgo = new Date(Date.now() - 40 * DAY);
    const old = Array.from({ length: 10 }, (_, i) => toPendingEvent({ type: 't', severity: 'info', actor: 'a', action: `old ${i}` }));
    const linked = await appendAuditBatch(db.database, old, undefined, longAgo);
    await insertCheckpoint(db.database.prisma, signCheckpoint(key, { seq: 8, hash: linked[7].hash, at: longAgo.toISOString() }));
    for (let i = 0; i < 5; i++) await writer.append({ type: 't', severity: 'info', actor: 'a', action: `new ${i}`, at: longAgo });

    const outcome = await pruneAuditTrail({ database: db.database, key, retentionMs: 30 * DAY, now: new Date(), record: (event) => writer.append(event) });
    expect(outcome).toMatchObject({ pruned: 8, anchor: { seq: 8 } });
    expect(await verifyAuditTrail({ database: db.database, key, mode: 'full' })).toMatchObject({ ok: true, fromSeq: 8 });
  });
});
