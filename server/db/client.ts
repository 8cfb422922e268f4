import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as SqliteClient } from '@vigil/prisma-sqlite';
import { PrismaClient as PostgresClient } from '@vigil/prisma-postgres';
import { providerOf, sqlitePathOf, type DatabaseProvider } from './database-url';

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
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  url: string;
  /** How long a SQLite writer waits for the lock before failing. */
  busyTimeoutMs?: number;
  poolSize?: number;
}

export async function openDatabase({ url, busyTimeoutMs = 500, poolSize = 10 }: OpenDatabaseOptions): Promise<Database> {
  const provider = providerOf(url);
  if (provider === 'sqlite') {
    const adapter = new PrismaBetterSQLite3({ url: `file:${sqlitePathOf(url)}`, timeout: busyTimeoutMs });
    const prisma = new SqliteClient({ adapter });
    // Per-connection settings: WAL itself is persistent and set by the migrator.
    // synchronous=FULL fsyncs the WAL at every commit, so an acknowledged event
    // survives power loss; batching keeps that affordable.
    await prisma.$executeRawUnsafe('PRAGMA synchronous = FULL');
    await prisma.$executeRawUnsafe('PRAGMA foreign_keys = ON');
    return { prisma, provider, close: () => prisma.$disconnect() };
  }
  const adapter = new PrismaPg({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5000 });
  const prisma = new PostgresClient({ adapter }) as unknown as Db;
  return { prisma, provider, close: () => prisma.$disconnect() };
}
