import type BetterSqlite3 from 'better-sqlite3';
import { rowToEvent } from '../audit/stored-event-row';
import type { Database, Db } from '../db/client';
import { prismaOf, sqliteOf, type Store, serializeSqliteWrite, toSqliteDate } from '../db/store';
import { GENESIS_HASH, linkEventsWithText, type UnhashedAuditEvent } from '@/lib/audit/hash-chain';
import { LOCAL_HOST_ID, type ChainedAuditEvent } from '@/lib/audit/types';

type AuditRow = Awaited<ReturnType<Db['auditEvent']['findFirstOrThrow']>>;

export type PendingAuditEvent = Omit<UnhashedAuditEvent, 'seq' | 'prevHash'>;

/** Prisma rows carry `at` as a Date; the raw readers share the same mapping. */
export function fromRow(row: AuditRow): ChainedAuditEvent {
  return rowToEvent(row);
}

const AUDIT_COLUMNS = [
  'seq',
  'eventId',
  'at',
  'type',
  'severity',
  'actor',
  'action',
  'module',
  'resource',
  'reason',
  'method',
  'source',
  'details',
  'prevHash',
  'hash',
  'receivedAt',
  'hostId',
] as const;
const COLUMN_LIST = AUDIT_COLUMNS.map((c) => `"${c}"`).join(', ');
const POSTGRES_TYPES: Record<(typeof AUDIT_COLUMNS)[number], string> = {
  seq: 'integer',
  eventId: 'text',
  at: 'timestamp(3)',
  type: 'text',
  severity: 'text',
  actor: 'text',
  action: 'text',
  module: 'text',
  resource: 'text',
  reason: 'text',
  method: 'text',
  source: 'text',
  details: 'text',
  prevHash: 'text',
  hash: 'text',
  receivedAt: 'timestamp(3)',
  hostId: 'integer',
};
const SQLITE_ROW = `(${AUDIT_COLUMNS.map(() => '?').join(', ')})`;
const SQLITE_INSERT = `INSERT INTO "AuditEvent" (${COLUMN_LIST}) VALUES ${SQLITE_ROW}`;
/**
 * Rows one multi-row insert binds. Each statement run has a fixed cost (reset, step, N-API
 * crossing) that 16 rows share; beyond that the indexes dominate and longer statements gain
 * nothing (measured: 9.8 µs of CPU a row one by one, 7.5 µs by 16, 8 µs by 32 or 64).
 */
const ROWS_PER_INSERT = 16;
const SQLITE_INSERT_MANY = `INSERT INTO "AuditEvent" (${COLUMN_LIST}) VALUES ${Array.from({ length: ROWS_PER_INSERT }, () => SQLITE_ROW).join(', ')}`;
export const POSTGRES_INSERT = `INSERT INTO "AuditEvent" (${COLUMN_LIST}) SELECT ${COLUMN_LIST} FROM json_to_recordset($1::json) AS x(${AUDIT_COLUMNS.map((c) => `"${c}" ${POSTGRES_TYPES[c]}`).join(', ')})`;

export interface ChainHead {
  seq: number;
  hash: string;
}

export const GENESIS_HEAD: ChainHead = { seq: 0, hash: GENESIS_HASH };

/** Another appender took the seq this batch was linked to; the caller re-reads the head and relinks. */
export function isSeqConflict(error: unknown): boolean {
  const text = `${(error as Error)?.message ?? ''} ${JSON.stringify((error as { meta?: unknown })?.meta ?? {})}`;
  return /UNIQUE constraint failed: AuditEvent\.seq|AuditEvent_pkey|SQLITE_CONSTRAINT_PRIMARYKEY|23505/.test(text);
}

/**
 * On SQLite, prepared inserts of 16 rows at a time inside one transaction: the driver binds
 * values natively, which costs well under half the CPU of unpacking a JSON parameter with
 * json_each, and builds no payload string. On PostgreSQL, where each statement is a round trip,
 * the whole batch travels as one JSON parameter that json_to_recordset unpacks (as text, which
 * costs the server a fifth less than converting it to jsonb first), sent by the
 * driver itself rather than through Prisma.
 * `detailsText` is each event's details in the canonical text that was hashed, so verification
 * can hash it as stored.
 */
async function insertAuditRows(database: Database, events: ChainedAuditEvent[], detailsText: string[], receivedAt: Date): Promise<void> {
  // Not destructured: on SQLite `prisma` loads the client on first read, and this path needs none.
  const { sqlite } = database;
  if (sqlite) {
    await serializeSqliteWrite(sqlite, () => sqliteInsertBatch(sqlite)(events, detailsText, toSqliteDate(receivedAt)));
    return;
  }
  const rows = postgresAuditRows(events, detailsText, receivedAt);
  if (database.postgres) {
    // Named, so each pooled connection parses and plans the insert once.
    await database.postgres.query({ name: 'vigil-audit-insert', text: POSTGRES_INSERT, values: [rows] });
    return;
  }
  await database.prisma.$executeRawUnsafe(POSTGRES_INSERT, rows);
}

/** The one JSON parameter of a PostgreSQL insert: every row of the batch, as the database stores it. */
export function postgresAuditRows(events: ChainedAuditEvent[], detailsText: string[], receivedAt: Date): string {
  const received = receivedAt.toISOString();
  // Field by field rather than spreading each event, which costs more than the rest of the row.
  return JSON.stringify(
    events.map((e, i) => ({
      seq: e.seq,
      eventId: e.eventId,
      at: e.at,
      type: e.type,
      severity: e.severity,
      actor: e.actor,
      action: e.action,
      module: e.module,
      resource: e.resource,
      reason: e.reason,
      method: e.method,
      source: e.source,
      details: detailsText[i],
      prevHash: e.prevHash,
      hash: e.hash,
      receivedAt: received,
      hostId: e.hostId ?? LOCAL_HOST_ID,
    })),
  );
}

type SqliteBatchInsert = (events: ChainedAuditEvent[], detailsText: string[], receivedAt: string) => void;
const preparedInserts = new WeakMap<BetterSqlite3.Database, SqliteBatchInsert>();

export function sqliteInsertBatch(connection: BetterSqlite3.Database): SqliteBatchInsert {
  let insert = preparedInserts.get(connection);
  if (!insert) {
    const single = connection.prepare(SQLITE_INSERT);
    const multi = connection.prepare(SQLITE_INSERT_MANY);
    const values = new Array<unknown>(ROWS_PER_INSERT * AUDIT_COLUMNS.length);
    const oneRow = new Array<unknown>(AUDIT_COLUMNS.length);
    insert = connection.transaction((events: ChainedAuditEvent[], detailsText: string[], receivedAt: string) => {
      let i = 0;
      for (; i + ROWS_PER_INSERT <= events.length; i += ROWS_PER_INSERT) {
        for (let row = 0; row < ROWS_PER_INSERT; row++) putRow(values, row * AUDIT_COLUMNS.length, events[i + row], detailsText[i + row], receivedAt);
        multi.run(values);
      }
      for (; i < events.length; i++) {
        putRow(oneRow, 0, events[i], detailsText[i], receivedAt);
        single.run(oneRow);
      }
    }) as SqliteBatchInsert;
    preparedInserts.set(connection, insert);
  }
  return insert;
}

/** One row's values in AUDIT_COLUMNS order, written into a reused array. */
function putRow(values: unknown[], at: number, e: ChainedAuditEvent, detailsText: string, receivedAt: string): void {
  values[at] = e.seq;
  values[at + 1] = e.eventId;
  values[at + 2] = toSqliteTime(e.at);
  values[at + 3] = e.type;
  values[at + 4] = e.severity;
  values[at + 5] = e.actor;
  values[at + 6] = e.action;
  values[at + 7] = e.module;
  values[at + 8] = e.resource;
  values[at + 9] = e.reason;
  values[at + 10] = e.method;
  values[at + 11] = e.source;
  values[at + 12] = detailsText;
  values[at + 13] = e.prevHash;
  values[at + 14] = e.hash;
  values[at + 15] = receivedAt;
  values[at + 16] = e.hostId ?? LOCAL_HOST_ID;
}

/** An ISO time as the SQLite store keeps it (what toSqliteDate writes), without a Date in between. */
const toSqliteTime = (iso: string): string => (iso.endsWith('Z') ? `${iso.slice(0, -1)}+00:00` : iso);

/**
 * Appends a batch with optimistic concurrency. The batch is linked to the head the
 * caller believes current and inserted in one atomic statement; `seq` is the primary
 * key, so if another process appended meanwhile the insert fails as a whole and the
 * batch is relinked to the new head. Two appenders can never both extend the same
 * event, which is what a fork would be.
 */
export async function appendAuditBatch(
  database: Database,
  events: PendingAuditEvent[],
  knownHead?: ChainHead,
  /** When Vigil received them: now, unless a test stands in for a batch committed long ago. */
  receivedAt = new Date(),
): Promise<ChainedAuditEvent[]> {
  if (events.length === 0) return [];
  let head = knownHead ?? (await readAuditHead(database));
  for (let attempt = 1; ; attempt++) {
    const { events: linked, detailsText } = linkEventsWithText(head, events);
    try {
      await insertAuditRows(database, linked, detailsText, receivedAt);
      return linked;
    } catch (error) {
      if (!isSeqConflict(error) || attempt >= 50) throw error;
      head = await readAuditHead(database);
    }
  }
}

export async function readAuditHead(store: Store): Promise<ChainHead> {
  const sqlite = sqliteOf(store);
  const last = sqlite
    ? (sqlite.prepare('SELECT "seq", "hash" FROM "AuditEvent" ORDER BY "seq" DESC LIMIT 1').get() as ChainHead | undefined)
    : await prismaOf(store).auditEvent.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true, hash: true } });
  return last ?? GENESIS_HEAD;
}

export async function readAuditPage(db: Db, afterSeq: number, take: number): Promise<ChainedAuditEvent[]> {
  const rows = await db.auditEvent.findMany({ where: { seq: { gt: afterSeq } }, orderBy: { seq: 'asc' }, take });
  return rows.map(fromRow);
}

/** eventIds committed after `seq`: where a replayed spool looks for what already landed. */
export async function eventIdsAfter(db: Db, seq: number): Promise<Set<string>> {
  const rows = await db.auditEvent.findMany({ where: { seq: { gt: seq } }, select: { eventId: true } });
  return new Set(rows.map((r) => r.eventId));
}

export async function latestAuditEvents(db: Db, take: number): Promise<ChainedAuditEvent[]> {
  const rows = await db.auditEvent.findMany({ orderBy: { seq: 'desc' }, take });
  return rows.map(fromRow);
}

class CanaryRolledBack extends Error {}

/**
 * Whether the database takes an audit insert at all right now: a harmless row inserted the
 * way batches are, in a transaction that is always rolled back. When a batch is refused and
 * this still goes through, the batch's own contents are at fault, not the database.
 */
export async function auditInsertsWork(database: Database): Promise<boolean> {
  const at = new Date().toISOString();
  const canary: ChainedAuditEvent = {
    seq: -1,
    eventId: 'canary',
    at,
    type: 'audit.canary',
    severity: 'debug',
    actor: 'system',
    action: 'canary',
    module: null,
    resource: null,
    reason: null,
    method: null,
    source: null,
    details: {},
    prevHash: GENESIS_HASH,
    hash: GENESIS_HASH,
  };
  try {
    if (database.sqlite) {
      const connection = database.sqlite;
      await serializeSqliteWrite(
        connection,
        connection.transaction(() => {
          // Nested in this transaction, the batch insert becomes a savepoint that rolls back with it.
          sqliteInsertBatch(connection)([canary], ['{}'], toSqliteDate(new Date()));
          throw new CanaryRolledBack();
        }),
      );
    } else {
      await database.prisma.$transaction(async (tx) => {
        // Through the transaction, never beside it: the pool would commit the canary.
        await insertAuditRows({ ...database, postgres: null, prisma: tx as Db }, [canary], ['{}'], new Date());
        throw new CanaryRolledBack();
      });
    }
  } catch (error) {
    return error instanceof CanaryRolledBack;
  }
  return true;
}
