import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { linkEvents } from '@/lib/audit/hash-chain';
import type { AuditEventInput } from '@/lib/audit/types';
import { appendAuditBatch, readAuditHead } from '../queries/audit';
import { insertCheckpoint } from '../queries/audit-checkpoints';
import { readSetting } from '../queries/settings';
import { createMigratedDatabase, makeTempDir, PROVIDERS, readWholeChain, type MigratedDatabase, type TempDir } from '../test-support';
import { ANCHOR_SETTING, readVerification, verifyAndRecord, verifyAuditTrail, VERIFICATION_SETTING } from './audit-verifier';
import { keyIdOf, loadCheckpointKey, signCheckpoint, type CheckpointKey } from './checkpoint-key';
import { toPendingEvent } from './pending-event';
import { pruneAuditTrail } from './retention';
import { checkpointExportLines } from './checkpoint-export';

const DAY = 86_400_000;

function input(i: number, overrides: Partial<AuditEventInput> = {}): AuditEventInput {
  return { type: 'test.verify', severity: 'info', actor: 'tester', action: `act ${i}`, module: 'audit', details: { i, note: `event ${i}` }, ...overrides };
}

/** Someone with database access but not the key: a fresh key of their own. */
function foreignKey(): CheckpointKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey, keyId: keyIdOf(publicKey), publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), file: '(memory)' };
}

describe.each(PROVIDERS)('audit verification on %s', (provider) => {
  let db: MigratedDatabase;
  let tmp: TempDir;
  let key: CheckpointKey;

  async function seed(count: number, options: { from?: number; at?: Date } = {}): Promise<void> {
    const from = options.from ?? 1;
    const events = Array.from({ length: count }, (_, i) => toPendingEvent(input(from + i, options.at ? { at: options.at } : {})));
    // Old events were also received long ago: retention goes by the receive time.
    await appendAuditBatch(db.database, events, undefined, options.at);
  }

  async function checkpointAt(seq: number, signer = key): Promise<void> {
    const row = await db.database.prisma.auditEvent.findUniqueOrThrow({ where: { seq } });
    await insertCheckpoint(db.database.prisma, signCheckpoint(signer, { seq, hash: row.hash, at: new Date().toISOString() }));
  }

  const exec = (sql: string) => db.database.prisma.$executeRawUnsafe(sql);
  const verify = (mode: 'full' | 'incremental' = 'full', k: CheckpointKey | null = key) => verifyAuditTrail({ database: db.database, key: k, mode });

  beforeEach(async () => {
    db = await createMigratedDatabase(provider);
    tmp = makeTempDir();
    key = loadCheckpointKey(tmp.join('audit.key'), { create: true })!;
  });

  afterEach(async () => {
    await db.destroy();
    tmp.remove();
  });

  it('verifies a good chain with its checkpoints, up to the head', async () => {
    await seed(25);
    await checkpointAt(10);
    await checkpointAt(20);
    const result = await verify();
    expect(result).toMatchObject({ ok: true, mode: 'full', fromSeq: 0, events: 25, checkpointsChecked: 2, lastCheckpoint: { seq: 20 } });
    expect(result.verifiedThrough?.seq).toBe(25);
    expect(result.verifiedThrough?.at).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    expect(result.eventsPerSecond).toBeGreaterThan(0);
    expect(result.firstBadSeq).toBeUndefined();
  });

  it('reads back through the raw path exactly what the writer stored', async () => {
    await seed(3);
    const result = await verify();
    expect(result.ok).toBe(true);
    expect((await readWholeChain(db.database)).map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('names an edited details field', async () => {
    await seed(10);
    await exec(`UPDATE "AuditEvent" SET "details" = '{"i":5,"note":"nothing happened"}' WHERE "seq" = 5`);
    expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 5, problem: 'hash-mismatch', verifiedThrough: { seq: 4 } });
  });

  it('names a deleted row', async () => {
    await seed(10);
    await exec(`DELETE FROM "AuditEvent" WHERE "seq" = 6`);
    expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 6, problem: 'seq-gap' });
  });

  it('names two swapped rows', async () => {
    await seed(10);
    await exec(`UPDATE "AuditEvent" SET "seq" = -1 WHERE "seq" = 4`);
    await exec(`UPDATE "AuditEvent" SET "seq" = 4 WHERE "seq" = 5`);
    await exec(`UPDATE "AuditEvent" SET "seq" = 5 WHERE "seq" = -1`);
    expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 4, problem: 'prev-hash-mismatch' });
  });

  it('catches a suffix re-hashed consistently by someone without the key', async () => {
    await seed(30);
    await checkpointAt(10);
    await checkpointAt(20);
    // Rewrite events 12.. with a new detail and relink them: every hash and link holds.
    const chain = await readWholeChain(db.database);
    const suffix = chain
      .filter((e) => e.seq >= 12)
      .map(({ seq: _seq, prevHash: _prev, hash: _hash, ...rest }) => ({ ...rest, details: { ...rest.details, note: 'rewritten' } }));
    await exec(`DELETE FROM "AuditEvent" WHERE "seq" >= 12`);
    await appendAuditBatch(db.database, suffix, { seq: 11, hash: chain[10].hash });
    const plain = await verifyAuditTrail({ database: db.database, key, mode: 'full' });
    expect(plain).toMatchObject({ ok: false, firstBadSeq: 20, problem: 'checkpoint-mismatch', verifiedThrough: { seq: 10 } });
    expect(plain.message).toMatch(/#20/);

    // Re-signing the checkpoint with their own key does not help either.
    const forged = signCheckpoint(foreignKey(), { seq: 20, hash: (await readWholeChain(db.database))[19].hash, at: new Date().toISOString() });
    await db.database.prisma.auditCheckpoint.update({ where: { seq: 20 }, data: { hash: forged.hash, keyId: forged.keyId, signature: forged.signature } });
    expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 20, problem: 'checkpoint-signature' });
  });

  it('fails every checkpoint under the wrong key, and without a key', async () => {
    await seed(12);
    await checkpointAt(10);
    expect(await verify('full', foreignKey())).toMatchObject({ ok: false, firstBadSeq: 10, problem: 'checkpoint-signature' });
    expect(await verify('full', null)).toMatchObject({ ok: false, problem: 'checkpoint-signature' });
  });

  it('detects a chain cut off below a signed checkpoint', async () => {
    await seed(12);
    await checkpointAt(12);
    await exec(`DELETE FROM "AuditEvent" WHERE "seq" > 8`);
    expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 12, problem: 'checkpoint-missing-event' });
  });

  it('resumes incrementally from the newest verified checkpoint', async () => {
    await seed(20);
    await checkpointAt(15);
    const full = await verifyAndRecord({ database: db.database, key, mode: 'full' });
    expect(full).toMatchObject({ ok: true, events: 20, lastCheckpoint: { seq: 15 } });
    await seed(7, { from: 21 });
    const incremental = await verifyAndRecord({ database: db.database, key, mode: 'incremental' });
    expect(incremental).toMatchObject({ ok: true, mode: 'incremental', fromSeq: 15, events: 12, verifiedThrough: { seq: 27 } });
    expect(await readVerification(db.database)).toMatchObject({ ok: true, verifiedThrough: { seq: 27 } });

    // Nothing new: the recorded range stays where it was.
    await checkpointAt(27);
    await verifyAndRecord({ database: db.database, key, mode: 'incremental' });
    const idle = await verifyAndRecord({ database: db.database, key, mode: 'incremental' });
    expect(idle).toMatchObject({ ok: true, fromSeq: 27, events: 0, verifiedThrough: { seq: 27 } });

    // The verified prefix's end rewritten: the incremental run notices at its start.
    await exec(`UPDATE "AuditEvent" SET "hash" = '${'f'.repeat(64)}' WHERE "seq" = 27`);
    expect(await verify('incremental')).toMatchObject({ ok: false, firstBadSeq: 27, problem: 'anchor-mismatch' });
    // An incremental run misses an edit in the verified past; a full one does not.
    await exec(`UPDATE "AuditEvent" SET "details" = '{}' WHERE "seq" = 3`);
    expect(await verify('full')).toMatchObject({ ok: false, firstBadSeq: 3 });
    expect(await readSetting(db.database.prisma, VERIFICATION_SETTING)).toMatchObject({ ok: true });
  });

  it('prunes past the retention up to a checkpoint and still verifies from the anchor', async () => {
    const old = new Date(Date.now() - 40 * DAY);
    await seed(10, { at: old });
    await checkpointAt(4);
    await checkpointAt(8);
    await seed(5, { from: 11 });
    const recorded: AuditEventInput[] = [];
    const record = async (event: AuditEventInput) => {
      recorded.push(event);
      await appendAuditBatch(db.database, [toPendingEvent(event)]);
    };
    const outcome = await pruneAuditTrail({ database: db.database, key, retentionMs: 30 * DAY, now: new Date(), record });
    expect(outcome).toMatchObject({ pruned: 8, anchor: { seq: 8 } });
    expect(recorded).toMatchObject([{ type: 'audit.pruned', details: { deleted: 8, throughSeq: 8 } }]);
    expect(await readSetting(db.database.prisma, ANCHOR_SETTING)).toMatchObject({ seq: 8, keyId: key.keyId });
    expect(await db.database.prisma.auditEvent.count()).toBe(8);
    expect(await verify()).toMatchObject({ ok: true, fromSeq: 8, events: 8, verifiedThrough: { seq: 16 } });
    expect(await pruneAuditTrail({ database: db.database, key, retentionMs: 30 * DAY, now: new Date(), record })).toMatchObject({ pruned: 0 });

    const lines = [];
    for await (const line of checkpointExportLines(db.database, key)) lines.push(JSON.parse(line) as { kind: string });
    expect(lines.map((l) => l.kind)).toEqual(['vigil.audit.public-key', 'vigil.audit.anchor', 'vigil.audit.checkpoint', 'vigil.audit.checkpoint']);

    // A forged anchor (another key) is refused, and so is a deleted one.
    const forged = signCheckpoint(foreignKey(), { seq: 8, hash: (await readAuditHead(db.database.prisma)).hash, at: new Date().toISOString() });
    await db.database.prisma.setting.update({ where: { key: ANCHOR_SETTING }, data: { value: JSON.stringify(forged) } });
    expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 8, problem: 'anchor-signature' });
    await db.database.prisma.setting.delete({ where: { key: ANCHOR_SETTING } });
    expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 1, problem: 'seq-gap' });
  });

  it('prunes nothing without a usable checkpoint', async () => {
    const old = new Date(Date.now() - 40 * DAY);
    const record = async () => undefined;
    const prune = () => pruneAuditTrail({ database: db.database, key, retentionMs: 30 * DAY, now: new Date(), record });
    expect(await prune()).toMatchObject({ pruned: 0, skipped: expect.stringMatching(/older/) });
    await seed(5, { at: old });
    expect(await prune()).toMatchObject({ pruned: 0, skipped: expect.stringMatching(/no signed checkpoint/) });
    await checkpointAt(3, foreignKey());
    expect(await prune()).toMatchObject({ pruned: 0, skipped: expect.stringMatching(/does not verify/) });
    expect(await db.database.prisma.auditEvent.count()).toBe(5);
  });

  it('says so when there is nothing to verify', async () => {
    expect(await verify()).toMatchObject({ ok: true, events: 0, verifiedThrough: null, message: 'nothing new to verify' });
  });
});

it('links events the same way the verifier checks them', () => {
  expect(linkEvents({ seq: 0, hash: '0'.repeat(64) }, [toPendingEvent(input(1))])[0].seq).toBe(1);
});
