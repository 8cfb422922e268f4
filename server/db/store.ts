import type { Database, Db, Queryable } from './client';

/**
 * What a query function runs against: the open database, or inside a transaction its client.
 * Given the database on SQLite, the queries an idle worker runs go through the driver's own
 * connection, so Prisma's client and query compiler are not loaded until something needs them.
 */
export type Store = Database | Queryable;
export type SqliteConnection = NonNullable<Database['sqlite']>;

function isDatabase(store: Store): store is Database {
  return 'provider' in store && 'sqlite' in store;
}

/** The driver's connection when `store` is a SQLite database; null means: ask Prisma. */
export const sqliteOf = (store: Store): SqliteConnection | null => (isDatabase(store) ? store.sqlite : null);

export const prismaOf = (store: Store): Queryable => (isDatabase(store) ? store.prisma : store);

/** A date as Prisma's SQLite adapter stores it (UTC text ending in +00:00), so both compare alike. */
export const toSqliteDate = (date: Date): string => date.toISOString().replace('Z', '+00:00');

/** A stored date back: the adapter's text, epoch milliseconds, or SQLite's own `YYYY-MM-DD HH:MM:SS` (UTC). */
export function fromSqliteDate(value: string | number): Date {
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?$/.test(value)) return new Date(`${value.replace(' ', 'T')}Z`);
  return new Date(value);
}

export const fromSqliteDateOrNull = (value: string | number | null): Date | null => (value === null ? null : fromSqliteDate(value));

/** A Prisma client, or what holds one and loads it on first use (the database): read at query time. */
export type PrismaSource = Db | { readonly prisma: Db };

export const clientOf = (source: PrismaSource): Db => ('prisma' in source && !('$transaction' in source) ? source.prisma : (source as Db));

const writeQueues = new WeakMap<SqliteConnection, Promise<unknown>>();

/**
 * Runs `write` after every earlier write of this process on this SQLite database. Prisma's
 * transactions hold SQLite's write lock across awaits; a synchronous write on the driver's
 * connection meanwhile would busy-wait on the one thread that could release the lock, and fail
 * as "database is locked". So both take turns here: Prisma's transactions (see client.ts) and
 * the driver's writes.
 */
export function serializeSqliteWrite<T>(sqlite: SqliteConnection, write: () => T | Promise<T>): Promise<T> {
  const run = (writeQueues.get(sqlite) ?? Promise.resolve()).then(write);
  writeQueues.set(
    sqlite,
    run.catch(() => undefined),
  );
  return run;
}
