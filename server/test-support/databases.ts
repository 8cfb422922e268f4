import type { DatabaseProvider } from '../db/database-url';
import { openDatabase, type Database } from '../db/client';
import { applyMigrations } from '../db/migrate';
import { readAuditPage } from '../queries/audit';
import type { ChainedAuditEvent } from '@/lib/audit/types';
import { createTestDatabase } from './postgres';
import { makeTempDir, sqliteUrlIn, type TempDir } from './temp-dir';

export const PROVIDERS: DatabaseProvider[] = ['sqlite', 'postgresql'];

export interface EmptyDatabase {
  provider: DatabaseProvider;
  url: string;
  /** The PostgreSQL database's name; null for SQLite. */
  name: string | null;
  /** The temp dir that holds the SQLite file (and spools, for either provider). */
  dir: TempDir;
  /** Drops the PostgreSQL database / removes the temp dir. */
  destroy(): Promise<void>;
}

/** A database nobody has touched: a new SQLite file in a temp dir, or a new PostgreSQL database. */
export async function createEmptyDatabase(provider: DatabaseProvider): Promise<EmptyDatabase> {
  const dir = makeTempDir(`vigil-${provider}-`);
  if (provider === 'sqlite') {
    return { provider, url: sqliteUrlIn(dir.path), name: null, dir, destroy: async () => dir.remove() };
  }
  const pg = await createTestDatabase();
  return {
    provider,
    url: pg.url,
    name: pg.name,
    dir,
    async destroy() {
      try {
        await pg.drop();
      } finally {
        dir.remove();
      }
    },
  };
}

export interface MigratedDatabase extends EmptyDatabase {
  database: Database;
  /** Opens another client on the same database (another "process" as far as locking goes). */
  openAnother(options?: { busyTimeoutMs?: number }): Promise<Database>;
}

/** A migrated database with one open client; destroy() closes every client it opened. */
export async function createMigratedDatabase(provider: DatabaseProvider, options: { busyTimeoutMs?: number } = {}): Promise<MigratedDatabase> {
  const empty = await createEmptyDatabase(provider);
  const opened: Database[] = [];
  try {
    await applyMigrations(empty.url);
    const openAnother = async (more: { busyTimeoutMs?: number } = {}) => {
      const db = await openDatabase({ url: empty.url, busyTimeoutMs: more.busyTimeoutMs ?? options.busyTimeoutMs });
      opened.push(db);
      return db;
    };
    const database = await openAnother();
    return {
      ...empty,
      database,
      openAnother,
      async destroy() {
        await Promise.allSettled(opened.map((db) => db.close()));
        await empty.destroy();
      },
    };
  } catch (error) {
    await empty.destroy();
    throw error;
  }
}

/** The whole stored chain, in seq order. */
export async function readWholeChain(database: Database): Promise<ChainedAuditEvent[]> {
  const events: ChainedAuditEvent[] = [];
  let after = 0;
  for (;;) {
    const page = await readAuditPage(database.prisma, after, 5000);
    events.push(...page);
    if (page.length < 5000) return events;
    after = page[page.length - 1].seq;
  }
}
