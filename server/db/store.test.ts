// Dates in the form Prisma's SQLite adapter writes, read back from every form SQLite may hold;
// which client a query runs on for a database, a Prisma client or a transaction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigratedDatabase, type MigratedDatabase } from '../test-support';
import { clientOf, fromSqliteDate, fromSqliteDateOrNull, prismaOf, sqliteOf, toSqliteDate } from './store';

describe('stored dates on SQLite', () => {
  it('are written as UTC text ending +00:00 and read back from that, epoch milliseconds or SQLite’s own text', () => {
    const at = new Date('2026-12-06T20:15:07.123Z');
    expect(toSqliteDate(at)).toBe('2026-12-06T20:15:07.123+00:00');
    expect(fromSqliteDate('2026-12-06T20:15:07.123+00:00')).toEqual(at);
    expect(fromSqliteDate(at.getTime())).toEqual(at);
    expect(fromSqliteDate('2026-12-06 20:15:07')).toEqual(new Date('2026-12-06T20:15:07Z'));
    expect(fromSqliteDate('2026-12-06 20:15:07.123')).toEqual(at);
    expect(fromSqliteDateOrNull(null)).toBeNull();
  });
});

describe('where a query runs', () => {
  let db: MigratedDatabase;
  beforeAll(async () => {
    db = await createMigratedDatabase('sqlite');
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it('on the driver for a SQLite database, on Prisma for a client or a transaction', async () => {
    const { database } = db;
    expect(sqliteOf(database)).toBe(database.sqlite);
    expect(sqliteOf(database.prisma)).toBeNull();
    expect(prismaOf(database)).toBe(database.prisma);
    expect(clientOf(database)).toBe(database.prisma);
    expect(clientOf(database.prisma)).toBe(database.prisma);
    await database.prisma.$transaction(async (tx) => {
      expect(sqliteOf(tx)).toBeNull();
      expect(prismaOf(tx)).toBe(tx);
    });
  });
});
