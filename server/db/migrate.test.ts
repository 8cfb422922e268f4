import path from 'node:path';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigrations, defaultMigrationsDir, loadMigrations, MigrationError } from './migrate';
import { sqlitePathOf } from './database-url';
import { createEmptyDatabase, makeTempDir, PROVIDERS, queryPostgres, type EmptyDatabase } from '../test-support';

const LEDGER = '_vigil_migrations';

async function runSql(db: EmptyDatabase, sql: string): Promise<Array<Record<string, unknown>>> {
  if (db.provider === 'postgresql') return queryPostgres(db.url, sql);
  const conn = new BetterSqlite3(sqlitePathOf(db.url));
  try {
    const statement = conn.prepare(sql);
    return statement.reader ? (statement.all() as Array<Record<string, unknown>>) : (statement.run(), []);
  } finally {
    conn.close();
  }
}

describe('loadMigrations', () => {
  it('finds 0001_init for both providers with a sha256 checksum', () => {
    for (const provider of PROVIDERS) {
      const migrations = loadMigrations(provider);
      expect(migrations[0].name).toBe('0001_init');
      expect(migrations[0].checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(migrations[0].sql).toContain('CREATE TABLE "AuditEvent"');
    }
    expect(loadMigrations('sqlite')[0].checksum).not.toBe(loadMigrations('postgresql')[0].checksum);
  });

  it('ignores directories that are not NNNN_name or lack the provider file, and sorts by name', () => {
    const dir = makeTempDir('vigil-migrations-');
    try {
      copyInitOnly(dir.path);
      mkdirSync(`${dir.path}/0003_later`);
      writeFileSync(`${dir.path}/0003_later/sqlite.sql`, 'SELECT 1;');
      mkdirSync(`${dir.path}/0002_pg_only`);
      writeFileSync(`${dir.path}/0002_pg_only/postgres.sql`, 'SELECT 1;');
      mkdirSync(`${dir.path}/notes`);
      writeFileSync(`${dir.path}/notes/sqlite.sql`, 'SELECT 1;');
      expect(loadMigrations('sqlite', dir.path).map((m) => m.name)).toEqual(['0001_init', '0003_later']);
      expect(loadMigrations('postgresql', dir.path).map((m) => m.name)).toEqual(['0001_init', '0002_pg_only']);
    } finally {
      dir.remove();
    }
  });
});

/** Only the first committed migration, so synthetic later ones can follow it. */
function copyInitOnly(target: string): void {
  cpSync(path.join(defaultMigrationsDir(), '0001_init'), path.join(target, '0001_init'), { recursive: true });
}

const committed = (provider: 'sqlite' | 'postgresql') => loadMigrations(provider).map((m) => m.name);

describe.each(PROVIDERS)('applyMigrations on %s', (provider) => {
  let db: EmptyDatabase;

  afterEach(async () => {
    await db?.destroy();
  });

  it('applies every committed migration to a fresh database, then nothing on the second run', async () => {
    db = await createEmptyDatabase(provider);
    const all = committed(provider);
    expect(all[0]).toBe('0001_init');
    const first = await applyMigrations(db.url);
    expect(first).toEqual({ applied: all, alreadyApplied: 0 });

    const ledger = await runSql(db, `SELECT name, checksum FROM ${LEDGER} ORDER BY name`);
    expect(ledger).toEqual(loadMigrations(provider).map((m) => ({ name: m.name, checksum: m.checksum })));
    // The schema is there and empty: the chain starts at the genesis.
    expect(await runSql(db, 'SELECT "seq" FROM "AuditEvent"')).toEqual([]);
    await runSql(db, `INSERT INTO "Setting" ("key", "value", "updatedAt") VALUES ('probe', '1', CURRENT_TIMESTAMP)`);

    const second = await applyMigrations(db.url);
    expect(second).toEqual({ applied: [], alreadyApplied: all.length });
    expect(await runSql(db, `SELECT name FROM ${LEDGER}`)).toHaveLength(all.length);
    // nothing was re-run over the existing tables and data
    expect(await runSql(db, 'SELECT "key" FROM "Setting"')).toEqual([{ key: 'probe' }]);
  });

  it('refuses to run when a recorded checksum differs from the committed file', async () => {
    db = await createEmptyDatabase(provider);
    await applyMigrations(db.url);
    await runSql(db, `UPDATE ${LEDGER} SET checksum = '${'f'.repeat(64)}' WHERE name = '0001_init'`);
    await expect(applyMigrations(db.url)).rejects.toThrow(MigrationError);
    await expect(applyMigrations(db.url)).rejects.toThrow(/0001_init was changed after it was applied/);
  });

  it('applies a later migration once and records it after the first', async () => {
    db = await createEmptyDatabase(provider);
    const dir = db.dir.join('migrations');
    copyInitOnly(dir);
    mkdirSync(`${dir}/0002_add_note`);
    writeFileSync(
      `${dir}/0002_add_note/${provider === 'sqlite' ? 'sqlite' : 'postgres'}.sql`,
      'CREATE TABLE "Note" ("id" INTEGER PRIMARY KEY, "body" TEXT NOT NULL);\n',
    );
    expect(await applyMigrations(db.url, dir)).toEqual({ applied: ['0001_init', '0002_add_note'], alreadyApplied: 0 });
    expect(await applyMigrations(db.url, dir)).toEqual({ applied: [], alreadyApplied: 2 });
    await runSql(db, `INSERT INTO "Note" ("id", "body") VALUES (1, 'x')`);
    expect(await runSql(db, 'SELECT "body" FROM "Note"')).toEqual([{ body: 'x' }]);
  });

  it('leaves nothing half-applied when a migration fails', async () => {
    db = await createEmptyDatabase(provider);
    const dir = db.dir.join('migrations');
    copyInitOnly(dir);
    mkdirSync(`${dir}/0002_broken`);
    writeFileSync(
      `${dir}/0002_broken/${provider === 'sqlite' ? 'sqlite' : 'postgres'}.sql`,
      'CREATE TABLE "Half" ("id" INTEGER PRIMARY KEY);\nTHIS IS NOT SQL;\n',
    );
    await expect(applyMigrations(db.url, dir)).rejects.toThrow();
    const ledger = await runSql(db, `SELECT name FROM ${LEDGER} ORDER BY name`);
    expect(ledger).toEqual([{ name: '0001_init' }]);
    const half =
      provider === 'sqlite'
        ? await runSql(db, `SELECT name FROM sqlite_master WHERE name = 'Half'`)
        : await runSql(db, `SELECT tablename FROM pg_tables WHERE tablename = 'Half'`);
    expect(half).toEqual([]);
  });
});

describe('applyMigrations on sqlite, specifics', () => {
  let db: EmptyDatabase;
  afterEach(async () => {
    await db?.destroy();
  });

  it('leaves the file in WAL journal mode', async () => {
    db = await createEmptyDatabase('sqlite');
    await applyMigrations(db.url);
    const conn = new BetterSqlite3(sqlitePathOf(db.url));
    try {
      expect(conn.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      conn.close();
    }
  });

  it('creates the parent directory of the database file', async () => {
    db = await createEmptyDatabase('sqlite');
    const url = `file:${db.dir.join('nested', 'deeper', 'vigil.db')}`;
    expect((await applyMigrations(url)).applied).toEqual(committed('sqlite'));
  });
});

describe('applyMigrations on postgresql, specifics', () => {
  let db: EmptyDatabase;
  afterEach(async () => {
    await db?.destroy();
  });

  it('serialises concurrent migrators with the advisory lock', async () => {
    db = await createEmptyDatabase('postgresql');
    const results = await Promise.all([applyMigrations(db.url), applyMigrations(db.url), applyMigrations(db.url)]);
    const all = committed('postgresql');
    expect(results.flatMap((r) => r.applied)).toEqual(all);
    expect(results.map((r) => r.alreadyApplied).sort()).toEqual([0, all.length, all.length]);
  });
});
