import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { appendAuditBatch } from '../queries/audit';
import { createMigratedDatabase, PROVIDERS, type MigratedDatabase } from '../test-support';
import { toPendingEvent } from './pending-event';
import { arrayToStoredEvent, rowToEvent, type RawAuditRow } from './stored-event-row';
import { scanPostgresRange, scanSqliteRange, type RangeScan } from './verify-range';

// What the verification threads run, called in-process.
describe.each(PROVIDERS)('range scans on %s', (provider) => {
  let db: MigratedDatabase;
  beforeEach(async () => {
    db = await createMigratedDatabase(provider);
    await appendAuditBatch(
      db.database,
      Array.from({ length: 12 }, (_, i) => toPendingEvent({ type: 't', severity: 'info', actor: 'a', action: `x${i}`, details: { i } })),
    );
  });
  afterEach(() => db.destroy());

  async function scan(afterSeq: number, throughSeq: number): Promise<RangeScan> {
    const task = { afterSeq, throughSeq, checkpointSeqs: [5, 11] };
    if (db.database.sqlite) return scanSqliteRange(db.database.sqlite, task);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      return await scanPostgresRange(client, task);
    } finally {
      await client.end();
    }
  }

  it('checks a range and reports its ends and checkpoint hashes', async () => {
    const result = await scan(4, 12);
    expect(result).toMatchObject({ events: 8, lastGoodSeq: 12, failure: null });
    expect(result.firstPrevHash).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(result.hashAt)).toEqual(['5', '11']);
  });

  it('stores details in canonical form and still accepts an equivalent text that is not', async () => {
    const [event] = await appendAuditBatch(db.database, [
      toPendingEvent({ type: 't', severity: 'info', actor: 'a', action: 'y', details: { z: 1, a: { c: 2, b: 3 } } }),
    ]);
    const read = async () => (await db.database.prisma.auditEvent.findUniqueOrThrow({ where: { seq: event.seq } })).details;
    expect(await read()).toBe('{"a":{"b":3,"c":2},"z":1}');
    // As an older writer stored it: same value, other key order and spacing.
    await db.database.prisma.$executeRawUnsafe(`UPDATE "AuditEvent" SET "details" = '{"z": 1, "a": {"c": 2, "b": 3}}' WHERE "seq" = ${event.seq}`);
    expect(await scan(0, event.seq)).toMatchObject({ events: 13, failure: null });
    await db.database.prisma.$executeRawUnsafe(`UPDATE "AuditEvent" SET "details" = '{"z": 1, "a": {"c": 2, "b": 4}}' WHERE "seq" = ${event.seq}`);
    expect(await scan(0, event.seq)).toMatchObject({ events: 12, failure: { seq: 13, problem: 'hash-mismatch' } });
    await db.database.prisma.$executeRawUnsafe(`UPDATE "AuditEvent" SET "details" = '{"a":{"b":3,"c":2},"z":1' WHERE "seq" = ${event.seq}`);
    expect(await scan(0, event.seq)).toMatchObject({ events: 12, failure: { seq: 13, problem: 'hash-mismatch' } });
  });

  it('stops at the first break', async () => {
    await db.database.prisma.$executeRawUnsafe(`UPDATE "AuditEvent" SET "details" = '{}' WHERE "seq" = 8`);
    expect(await scan(0, 12)).toMatchObject({ events: 7, lastGoodSeq: 7, failure: { seq: 8, problem: 'hash-mismatch' } });
  });
});

describe('stored rows', () => {
  const row: RawAuditRow = {
    seq: 1,
    eventId: 'e',
    at: 1_700_000_000_000,
    type: 't',
    severity: 'info',
    actor: 'a',
    action: 'x',
    module: null,
    resource: null,
    reason: null,
    method: null,
    source: null,
    details: '{}',
    prevHash: 'p',
    hash: 'h',
    hostId: 1,
  };
  it('reads the reporting host, whichever integer type the driver gives', () => {
    expect(rowToEvent({ ...row, hostId: 3 }).hostId).toBe(3);
    expect(rowToEvent({ ...row, hostId: 3n }).hostId).toBe(3);
    expect(arrayToStoredEvent(Object.values({ ...row, hostId: 5 })).hostId).toBe(5);
  });
  it('reads every way a time can be stored', () => {
    const iso = new Date(1_700_000_000_000).toISOString();
    expect(rowToEvent(row).at).toBe(iso);
    expect(rowToEvent({ ...row, at: '1700000000000' }).at).toBe(iso);
    expect(rowToEvent({ ...row, at: iso }).at).toBe(iso);
    expect(rowToEvent({ ...row, at: new Date(iso) }).at).toBe(iso);
    expect(rowToEvent({ ...row, at: iso.replace('Z', '+00:00') }).at).toBe(iso);
    expect(rowToEvent({ ...row, at: '2023-11-14 22:13:20.000+00:00' }).at).toBe(iso);
    expect(arrayToStoredEvent(Object.values(row)).at).toBe(iso);
    // PostgreSQL's text form, trailing zeros dropped, read as UTC
    expect(rowToEvent({ ...row, at: '2023-11-14 22:13:20' }).at).toBe(iso);
    expect(rowToEvent({ ...row, at: '2023-11-14 22:13:20.5' }).at).toBe('2023-11-14T22:13:20.500Z');
    expect(rowToEvent({ ...row, at: '2023-11-14 22:13:20.05' }).at).toBe('2023-11-14T22:13:20.050Z');
  });
});
