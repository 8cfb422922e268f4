// Applies the committed SQL migrations (prisma/migrations/NNNN_name/{sqlite,postgres}.sql)
// once each, in order, recording name and checksum. Prisma's own migrate is not used
// at run time: on PostgreSQL through the driver adapter it fails (Prisma issue 27403),
// and this path needs no CLI and no engine download.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { providerOf, sqlitePathOf } from './database-url';
import { pgDriver } from './pg-driver';

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

export function defaultMigrationsDir(): string {
  return path.resolve(process.cwd(), 'prisma', 'migrations');
}

export function loadMigrations(provider: 'sqlite' | 'postgresql', dir = defaultMigrationsDir()): Migration[] {
  const file = provider === 'sqlite' ? 'sqlite.sql' : 'postgres.sql';
  return readdirSync(dir)
    .filter((name) => /^\d{4}_[a-z0-9_]+$/.test(name) && existsSync(path.join(dir, name, file)))
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, file), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

const LEDGER = '_vigil_migrations';

function checkDrift(applied: Map<string, string>, migrations: Migration[]): void {
  for (const m of migrations) {
    const recorded = applied.get(m.name);
    if (recorded && recorded !== m.checksum) {
      throw new MigrationError(`migration ${m.name} was changed after it was applied (checksum differs); restore the committed file`);
    }
  }
}

export async function applyMigrations(url: string, dir = defaultMigrationsDir()): Promise<MigrationResult> {
  const provider = providerOf(url);
  const migrations = loadMigrations(provider, dir);
  return provider === 'sqlite' ? migrateSqlite(sqlitePathOf(url), migrations) : migratePostgres(url, migrations);
}

function migrateSqlite(file: string, migrations: Migration[]): MigrationResult {
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new BetterSqlite3(file, { timeout: 10_000 });
  try {
    db.pragma('journal_mode = WAL');
    db.exec(`CREATE TABLE IF NOT EXISTS ${LEDGER} (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    const applied = new Map(
      (db.prepare(`SELECT name, checksum FROM ${LEDGER}`).all() as Array<{ name: string; checksum: string }>).map((r) => [r.name, r.checksum]),
    );
    checkDrift(applied, migrations);
    const result: MigrationResult = { applied: [], alreadyApplied: applied.size };
    const record = db.prepare(`INSERT INTO ${LEDGER} (name, checksum, applied_at) VALUES (?, ?, ?)`);
    for (const m of migrations.filter((m) => !applied.has(m.name))) {
      // IMMEDIATE takes the write lock up front, so two processes starting at once
      // cannot both apply the same migration.
      db.transaction(() => {
        const done = db.prepare(`SELECT 1 FROM ${LEDGER} WHERE name = ?`).get(m.name);
        if (done) return;
        db.exec(m.sql);
        record.run(m.name, m.checksum, new Date().toISOString());
        result.applied.push(m.name);
      }).immediate();
    }
    return result;
  } finally {
    db.close();
  }
}

async function migratePostgres(url: string, migrations: Migration[]): Promise<MigrationResult> {
  const client = new (pgDriver().Client)({ connectionString: url });
  await client.connect();
  try {
    // One migrator at a time across every replica.
    await client.query('SELECT pg_advisory_lock(7461636)');
    await client.query(`CREATE TABLE IF NOT EXISTS ${LEDGER} (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)`);
    const { rows } = await client.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM ${LEDGER}`);
    const applied = new Map(rows.map((r) => [r.name, r.checksum]));
    checkDrift(applied, migrations);
    const result: MigrationResult = { applied: [], alreadyApplied: applied.size };
    for (const m of migrations.filter((m) => !applied.has(m.name))) {
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query(`INSERT INTO ${LEDGER} (name, checksum, applied_at) VALUES ($1, $2, now())`, [m.name, m.checksum]);
        await client.query('COMMIT');
        result.applied.push(m.name);
      } catch (error) {
        await client.query('ROLLBACK');
        throw new MigrationError(`migration ${m.name} failed: ${(error as Error).message}`);
      }
    }
    return result;
  } finally {
    await client.query('SELECT pg_advisory_unlock(7461636)').catch(() => undefined);
    await client.end();
  }
}
