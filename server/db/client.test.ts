// On SQLite the worker's idle queries use the driver's connection; Prisma's client (its own
// connection and its WebAssembly query compiler) opens on the first query that needs it, with
// the same per-connection settings.
import { readdirSync, readlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigratedDatabase, makeSample, type MigratedDatabase } from '../test-support';
import { insertHealthSamples } from '../queries/health';
import { readSetting, writeSetting } from '../queries/settings';
import { IDLE_IN_TRANSACTION_MS } from './client';
import { sqlitePathOf } from './database-url';

/** This process's open descriptors on the database file itself (not its -wal or -shm). */
function descriptorsOn(file: string): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === file;
    } catch {
      return false;
    }
  }).length;
}

describe('a SQLite database', () => {
  let db: MigratedDatabase;
  let file: string;
  beforeAll(async () => {
    db = await createMigratedDatabase('sqlite');
    file = sqlitePathOf(db.url);
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it('answers the idle queries on one connection and opens Prisma’s on first use, with FULL sync and foreign keys', async () => {
    const { database } = db;
    await writeSetting(database, 'k', 1);
    expect(await readSetting(database, 'k')).toBe(1);
    await insertHealthSamples(database, [{ sample: makeSample(), score: 100, degradation: 'NORMAL' }]);
    expect(descriptorsOn(file)).toBe(1);

    expect(await database.prisma.healthSample.count()).toBe(1);
    expect(descriptorsOn(file)).toBe(2);
    const [foreignKeys] = await database.prisma.$queryRawUnsafe<{ foreign_keys: bigint }[]>('PRAGMA foreign_keys');
    const [synchronous] = await database.prisma.$queryRawUnsafe<{ synchronous: bigint }[]>('PRAGMA synchronous');
    expect(Number(foreignKeys.foreign_keys)).toBe(1);
    expect(Number(synchronous.synchronous)).toBe(2);
  });
});

describe('a PostgreSQL database', () => {
  let db: MigratedDatabase;
  beforeAll(async () => {
    db = await createMigratedDatabase('postgresql');
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it("ends a transaction whose process stopped between two statements, so another writer's update of the same row goes through", async () => {
    await writeSetting(db.database, 'k', 1);
    const stalled = await db.openAnother();
    // What a frozen replica's pool leaves behind: a transaction that locked a row, and nothing more.
    const client = await stalled.postgres!.connect();
    const ended = new Promise<Error>((resolve) => client.on('error', resolve));
    await client.query('BEGIN');
    await client.query(`SELECT "value" FROM "Setting" WHERE "key" = 'k' FOR UPDATE`);
    const started = Date.now();
    await writeSetting(db.database, 'k', 2);
    const waited = Date.now() - started;
    // The write waited for the server to end the stalled transaction: no sooner, and not much later.
    expect(waited).toBeGreaterThanOrEqual(IDLE_IN_TRANSACTION_MS - 100);
    expect(waited).toBeLessThan(IDLE_IN_TRANSACTION_MS + 5_000);
    expect(await readSetting(db.database, 'k')).toBe(2);
    expect((await ended).message).toMatch(/idle-in-transaction timeout/);
    client.release(true);
  });
});
