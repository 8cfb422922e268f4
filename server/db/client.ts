import type BetterSqlite3 from 'better-sqlite3';
import type { Pool as PgPool } from 'pg';
import { createRequire } from 'node:module';
import type { PrismaClient as SqliteClient } from '@vigil/prisma-sqlite';
import { providerOf, sqlitePathOf, type DatabaseProvider } from './database-url';
import { serializeSqliteWrite } from './store';

/**
 * Both generated clients expose the same model API (they come from one schema),
 * so the rest of the code is written against the SQLite client's types.
 */
export type Db = SqliteClient;
/** A client or an interactive transaction: what query functions accept. */
export type DbTx = Parameters<Parameters<Db['$transaction']>[0]>[0];
export type Queryable = Db | DbTx;

export interface Database {
  prisma: Db;
  provider: DatabaseProvider;
  /**
   * SQLite only: a second connection of the driver Prisma's adapter wraps, for the one
   * statement where Prisma's per-parameter processing costs more than the database
   * (the audit chain's batch insert: 34 µs an event through Prisma, 15 µs prepared).
   */
  sqlite: BetterSqlite3.Database | null;
  /**
   * PostgreSQL only: the pool Prisma's adapter draws its connections from, for the same one
   * statement (Prisma's WebAssembly compiler copies a batch's parameter through itself first).
   * Absent where a caller hands Prisma's transaction in place of the database.
   */
  postgres?: PgPool | null;
  /** The connection URL, for work that opens connections of its own (verification threads). */
  url?: string;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  url: string;
  /** How long a SQLite writer waits for the lock before failing. */
  busyTimeoutMs?: number;
  poolSize?: number;
}

/**
 * How long the server lets a session sit idle inside a transaction before it ends it. A process
 * stopped between two statements of a transaction (frozen, paused, or stalled for any reason)
 * otherwise holds that transaction's row locks until it wakes: another replica's writes to the
 * same rows (a host's connection, its event cursor) would wait as long. Vigil's transactions wait
 * for nothing but their own next statement, so this only ever ends a stalled one.
 */
export const IDLE_IN_TRANSACTION_MS = 5_000;

// Each provider's client and driver are imported when a database of that kind is opened: a
// process only ever uses one, and loading the other costs start-up time and memory for nothing.
export async function openDatabase({ url, busyTimeoutMs = 500, poolSize = 10 }: OpenDatabaseOptions): Promise<Database> {
  const provider = providerOf(url);
  if (provider === 'sqlite') {
    const { default: BetterSqlite3 } = await import('better-sqlite3');
    const sqlite = new BetterSqlite3(sqlitePathOf(url), { timeout: busyTimeoutMs });
    // synchronous=FULL fsyncs the WAL at every commit, so an acknowledged event survives power
    // loss; batching keeps that affordable. WAL itself is persistent and set by the migrator.
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    // What an idle worker runs on SQLite (start-up reads, health samples) goes through this
    // connection; Prisma's client and its WebAssembly query compiler (~10 MiB resident) load
    // on the first query that needs them.
    let prisma: SqliteClient | null = null;
    return {
      get prisma() {
        prisma ??= takingTurns(openSqlitePrisma(url, busyTimeoutMs), sqlite);
        return prisma;
      },
      provider,
      sqlite,
      url,
      async close() {
        sqlite.close();
        await prisma?.$disconnect();
      },
    };
  }
  const [{ PrismaPg }, { PrismaClient: PostgresClient }, { default: pg }] = await Promise.all([
    import('@prisma/adapter-pg'),
    import('@vigil/prisma-postgres'),
    import('pg'),
  ]);
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 5000,
    idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_MS,
  });
  // An idle connection the server drops must not crash the process: the next query reconnects
  // and reports the outage itself. Prisma's adapter adds its own listener only once it connects.
  pool.on('error', () => undefined);
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  const prisma = new PostgresClient({ adapter }) as unknown as Db;
  return {
    prisma,
    provider,
    sqlite: null,
    postgres: pool,
    url,
    async close() {
      await prisma.$disconnect();
      // $disconnect ends the pool only if Prisma ever connected.
      if (!pool.ended) await pool.end();
    },
  };
}

const requireDependency = createRequire(import.meta.url);

/** The Prisma client over its own connection, whose per-connection settings match the one above. */
function openSqlitePrisma(url: string, busyTimeoutMs: number): SqliteClient {
  // Both are CommonJS: required synchronously, so the lazy `prisma` stays a plain property.
  const { PrismaBetterSQLite3 } = requireDependency('@prisma/adapter-better-sqlite3') as typeof import('@prisma/adapter-better-sqlite3');
  const { PrismaClient } = requireDependency('@vigil/prisma-sqlite') as typeof import('@vigil/prisma-sqlite');
  const factory = new PrismaBetterSQLite3({ url: `file:${sqlitePathOf(url)}`, timeout: busyTimeoutMs });
  const adapter: Pick<typeof factory, 'provider' | 'adapterName' | 'connect' | 'connectToShadowDb'> = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect() {
      const connection = await factory.connect();
      await connection.executeScript('PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;');
      return connection;
    },
    connectToShadowDb: () => factory.connectToShadowDb(),
  };
  return new PrismaClient({ adapter });
}

/** Prisma's transactions on SQLite take their turn with the driver's writes (store.ts says why). */
function takingTurns(client: SqliteClient, sqlite: BetterSqlite3.Database): SqliteClient {
  const transaction = client.$transaction.bind(client) as (...args: unknown[]) => Promise<unknown>;
  (client as { $transaction: unknown }).$transaction = (...args: unknown[]) => serializeSqliteWrite(sqlite, () => transaction(...args));
  return client;
}
