import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditWriter, verifyStoredChain, type AppendReceipt } from '.';
import type { AuditEventInput } from '@/lib/audit/types';
import { GENESIS_HASH } from '@/lib/audit/hash-chain';
import { latestAuditEvents, readAuditHead } from '../queries/audit';
import { createMigratedDatabase, PROVIDERS, readWholeChain, silentLogger, sleep, spawnTs, waitFor, type MigratedDatabase } from '../test-support';
import type { Database } from '../db/client';

function event(i: number, overrides: Partial<AuditEventInput> = {}): AuditEventInput {
  return { type: 'test.append', severity: 'info', actor: 'tester', action: `append ${i}`, module: 'audit', details: { i }, ...overrides };
}

describe.each(PROVIDERS)('audit chain on %s', (provider) => {
  let db: MigratedDatabase;
  const writers: AuditWriter[] = [];

  function newWriter(database: Database, name = 'a', extra: Partial<ConstructorParameters<typeof AuditWriter>[0]> = {}): AuditWriter {
    const writer = new AuditWriter({
      database,
      spoolFile: db.dir.join(`spool-${name}.ndjson`),
      log: silentLogger(),
      retryBaseMs: 20,
      retryMaxMs: 200,
      ...extra,
    });
    writers.push(writer);
    return writer;
  }

  beforeEach(async () => {
    db = await createMigratedDatabase(provider);
  });

  afterEach(async () => {
    await Promise.allSettled(writers.splice(0).map((w) => w.close()));
    await db.destroy();
  });

  it('gives sequential appends consecutive seqs linked from the genesis', async () => {
    const writer = newWriter(db.database);
    await writer.start();
    const receipts: AppendReceipt[] = [];
    for (let i = 1; i <= 5; i++) receipts.push(await writer.append(event(i)));
    expect(receipts.map((r) => r.status)).toEqual(Array(5).fill('committed'));
    expect(receipts.map((r) => (r.status === 'committed' ? r.seq : -1))).toEqual([1, 2, 3, 4, 5]);

    const chain = await readWholeChain(db.database);
    expect(chain.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(chain[0].prevHash).toBe(GENESIS_HASH);
    chain.forEach((stored, i) => {
      const receipt = receipts[i];
      expect(receipt.status === 'committed' && stored.eventId === receipt.eventId && stored.hash === receipt.hash).toBe(true);
      expect(stored.details).toEqual({ i: i + 1 });
      if (i > 0) expect(stored.prevHash).toBe(chain[i - 1].hash);
    });
    expect(await readAuditHead(db.database.prisma)).toEqual({ seq: 5, hash: chain[4].hash });
    expect(await verifyStoredChain(db.database.prisma)).toEqual({ ok: true, verified: 5, headSeq: 5, headHash: chain[4].hash });
    expect(writer.status()).toEqual({ ok: true, pendingEvents: 0, lastError: null });
    expect((await latestAuditEvents(db.database.prisma, 2)).map((e) => e.seq)).toEqual([5, 4]);
  });

  it('stores every field of the event as given, and the chain covers them', async () => {
    const writer = newWriter(db.database);
    const at = new Date('2025-03-04T05:06:07.089Z');
    const receipt = await writer.append({
      type: 'auth.login',
      severity: 'notice',
      actor: 'alice',
      action: 'sign in',
      module: 'auth',
      resource: 'users/alice',
      reason: 'daily work',
      method: 'password',
      source: '203.0.113.9',
      details: { nested: { list: [1, 'two', null], ok: true } },
      at,
    });
    expect(receipt.status).toBe('committed');
    const [stored] = await readWholeChain(db.database);
    expect(stored).toMatchObject({
      seq: 1,
      eventId: receipt.eventId,
      at: at.toISOString(),
      type: 'auth.login',
      severity: 'notice',
      actor: 'alice',
      action: 'sign in',
      module: 'auth',
      resource: 'users/alice',
      reason: 'daily work',
      method: 'password',
      source: '203.0.113.9',
      details: { nested: { list: [1, 'two', null], ok: true } },
    });
    expect((await verifyStoredChain(db.database.prisma)).ok).toBe(true);
  });

  it('rejects an invalid event without touching the chain', async () => {
    const writer = newWriter(db.database);
    // Refused as a rejection (callers chain .catch()), with a 422 naming the field.
    await expect(writer.append(event(1, { type: 'Not Valid!' }))).rejects.toMatchObject({ status: 422, message: expect.stringContaining('type') });
    await writer.append(event(2));
    expect((await readWholeChain(db.database)).map((e) => e.seq)).toEqual([1]);
  });

  it('never forks under 2,000 concurrent appends plus a second writer on another connection', async () => {
    const second = await db.openAnother();
    // Small batches, so the two writers' transactions interleave instead of one burst committing first.
    const writerA = newWriter(db.database, 'a', { maxBatch: 100 });
    const writerB = newWriter(second, 'b', { maxBatch: 100 });
    await Promise.all([writerA.start(), writerB.start()]);

    const fromA = Array.from({ length: 2000 }, (_, i) => writerA.append(event(i, { actor: 'writer-a' })));
    // The second writer keeps appending in small waves while the first burst is in flight.
    const fromB = (async () => {
      const receipts: AppendReceipt[] = [];
      for (let wave = 0; wave < 10; wave++) {
        receipts.push(...(await Promise.all(Array.from({ length: 30 }, (_, i) => writerB.append(event(wave * 30 + i, { actor: 'writer-b' }))))));
      }
      return receipts;
    })();
    const receipts = [...(await Promise.all(fromA)), ...(await fromB)];
    expect(receipts).toHaveLength(2300);

    // Whatever had to wait in a spool is committed once the writers drain.
    await writerA.flush();
    await writerB.flush();
    await waitFor(() => writerA.status().pendingEvents === 0 && writerB.status().pendingEvents === 0, { what: 'spools drained', timeoutMs: 20_000 });

    const chain = await readWholeChain(db.database);
    expect(chain).toHaveLength(2300);
    expect(chain.map((e) => e.seq)).toEqual(Array.from({ length: 2300 }, (_, i) => i + 1));
    const ids = new Set(chain.map((e) => e.eventId));
    expect(ids.size).toBe(2300);
    for (const r of receipts) expect(ids.has(r.eventId)).toBe(true);
    expect(chain.filter((e) => e.actor === 'writer-a')).toHaveLength(2000);
    expect(chain.filter((e) => e.actor === 'writer-b')).toHaveLength(300);
    // A writer's own events keep the order in which it accepted them.
    const aOrder = chain.filter((e) => e.actor === 'writer-a').map((e) => (e.details as { i: number }).i);
    expect(aOrder).toEqual([...aOrder].sort((x, y) => x - y));

    expect(await verifyStoredChain(db.database.prisma, { pageSize: 700 })).toEqual({ ok: true, verified: 2300, headSeq: 2300, headHash: chain[2299].hash });
    expect(await readAuditHead(db.database.prisma)).toEqual({ seq: 2300, hash: chain[2299].hash });
    for (const r of receipts) {
      if (r.status === 'committed') expect(chain[r.seq - 1].eventId).toBe(r.eventId);
    }
  });

  it('never forks with a writer in another process appending at the same time', async () => {
    // The other process appends until told to stop, so the two overlap however slow this machine is.
    const child = spawnTs('server/test-support/append-process.ts', {
      args: [JSON.stringify({ url: db.url, spoolFile: db.dir.join('spool-child.ndjson'), actor: 'process-b', waves: 100_000, perWave: 15, maxBatch: 15 })],
    });
    try {
      await child.waitForOutput(/^ready$/m);
      const writerA = newWriter(db.database, 'a', { maxBatch: 50 });
      await writerA.start();
      const fromA: Promise<AppendReceipt>[] = [];
      const switches = async () => {
        const actors = (await readWholeChain(db.database)).map((e) => e.actor);
        return actors.filter((actor, i) => i > 0 && actor !== actors[i - 1]).length;
      };
      // A appends at least 2,000 events in waves spread over time, and goes on until the chain shows
      // the two processes' commits interleaved (A, B, A at least): otherwise one process simply went
      // first and this test would prove nothing. (The pause shapes the load; it waits for nothing.)
      const deadline = Date.now() + 60_000;
      let waves = 0;
      while (waves < 20 || (await switches()) < 2) {
        if (Date.now() > deadline) throw new Error(`the two writers never interleaved in 60 s (${await switches()} switches)`);
        const first = waves * 100;
        fromA.push(...Array.from({ length: 100 }, (_, i) => writerA.append(event(first + i, { actor: 'writer-a' }))));
        waves++;
        await sleep(5);
        if (waves >= 20) await Promise.all(fromA);
      }
      child.kill('SIGUSR2');
      const receiptsA = await Promise.all(fromA);
      const { code } = await child.exited;
      expect(code, child.stderr()).toBe(0);
      const receiptsB = JSON.parse(child.stdout().trim().split('\n').pop()!) as AppendReceipt[];
      expect(receiptsB.length).toBeGreaterThan(0);
      expect(receiptsB.length % 15).toBe(0);
      await writerA.flush();
      await waitFor(() => writerA.status().pendingEvents === 0, { what: 'spool drained' });

      const total = receiptsA.length + receiptsB.length;
      const chain = await readWholeChain(db.database);
      expect(chain).toHaveLength(total);
      expect(chain.map((e) => e.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      const ids = new Set(chain.map((e) => e.eventId));
      expect(ids.size).toBe(total);
      for (const r of [...receiptsA, ...receiptsB]) expect(ids.has(r.eventId)).toBe(true);
      expect(chain.filter((e) => e.actor === 'writer-a')).toHaveLength(receiptsA.length);
      expect(await verifyStoredChain(db.database.prisma)).toMatchObject({ ok: true, verified: total, headSeq: total });
      expect(await switches()).toBeGreaterThanOrEqual(2);
    } finally {
      child.kill('SIGKILL');
      await child.exited;
    }
  });

  describe('verifyStoredChain detects tampering done with raw SQL', () => {
    let heads: string[];

    beforeEach(async () => {
      const writer = newWriter(db.database);
      for (let i = 1; i <= 6; i++) await writer.append(event(i));
      heads = (await readWholeChain(db.database)).map((e) => e.hash);
      expect((await verifyStoredChain(db.database.prisma)).ok).toBe(true);
    });

    const sql = (text: string) => db.database.prisma.$executeRawUnsafe(text);

    it('an edited details field: hash-mismatch at that seq', async () => {
      await sql(`UPDATE "AuditEvent" SET "details" = '{"i":999}' WHERE "seq" = 3`);
      expect(await verifyStoredChain(db.database.prisma)).toEqual({
        ok: false,
        verified: 2,
        firstBadSeq: 3,
        problem: 'hash-mismatch',
        headSeq: 2,
        headHash: heads[1],
      });
    });

    it('an edited actor on the last event', async () => {
      await sql(`UPDATE "AuditEvent" SET "actor" = 'mallory' WHERE "seq" = 6`);
      expect(await verifyStoredChain(db.database.prisma)).toMatchObject({ ok: false, verified: 5, firstBadSeq: 6, problem: 'hash-mismatch' });
    });

    it('a deleted row: seq-gap at the missing seq', async () => {
      await sql(`DELETE FROM "AuditEvent" WHERE "seq" = 4`);
      expect(await verifyStoredChain(db.database.prisma)).toEqual({
        ok: false,
        verified: 3,
        firstBadSeq: 4,
        problem: 'seq-gap',
        headSeq: 3,
        headHash: heads[2],
      });
    });

    it('two rows swapped (their seqs exchanged)', async () => {
      await sql(`UPDATE "AuditEvent" SET "seq" = -2 WHERE "seq" = 2`);
      await sql(`UPDATE "AuditEvent" SET "seq" = 2 WHERE "seq" = 3`);
      await sql(`UPDATE "AuditEvent" SET "seq" = 3 WHERE "seq" = -2`);
      expect(await verifyStoredChain(db.database.prisma)).toMatchObject({ ok: false, verified: 1, firstBadSeq: 2, problem: 'prev-hash-mismatch', headSeq: 1 });
    });

    it('two rows whose contents were swapped while the seqs stayed', async () => {
      await sql(`UPDATE "AuditEvent" SET "action" = 'x' || "action" WHERE "seq" = 4`);
      await sql(`UPDATE "AuditEvent" SET "action" = 'append 4' WHERE "seq" = 5`);
      await sql(`UPDATE "AuditEvent" SET "action" = 'append 5' WHERE "seq" = 4`);
      expect(await verifyStoredChain(db.database.prisma)).toMatchObject({ ok: false, verified: 3, firstBadSeq: 4, problem: 'hash-mismatch' });
    });

    it('finds a break on a later page too', async () => {
      await sql(`DELETE FROM "AuditEvent" WHERE "seq" = 5`);
      expect(await verifyStoredChain(db.database.prisma, { pageSize: 2 })).toMatchObject({ ok: false, verified: 4, firstBadSeq: 5, problem: 'seq-gap' });
    });

    it('verifies from an anchor (checkpoint) and refuses a wrong one', async () => {
      expect(await verifyStoredChain(db.database.prisma, { anchor: { seq: 3, hash: heads[2] }, pageSize: 2 })).toEqual({
        ok: true,
        verified: 3,
        headSeq: 6,
        headHash: heads[5],
      });
      expect(await verifyStoredChain(db.database.prisma, { anchor: { seq: 3, hash: heads[1] } })).toMatchObject({
        ok: false,
        firstBadSeq: 4,
        problem: 'prev-hash-mismatch',
      });
    });
  });
});
