import type BetterSqlite3 from 'better-sqlite3';
import { rowToEvent } from '../audit/stored-event-row';
import type { Database, Db } from '../db/client';
import { prismaOf, sqliteOf, type Store, serializeSqliteWrite } from '../db/store';
import { GENESIS_HASH, linkEvents, type UnhashedAuditEvent } from '@/lib/audit/hash-chain';
import { LOCAL_HOST_ID, type ChainedAuditEvent } from '@/lib/audit/types';
import { canonicalJson } from '@/lib/canonical-json';

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
const SQLITE_INSERT = `INSERT INTO "AuditEvent" (${COLUMN_LIST}) SELECT ${AUDIT_COLUMNS.map((c) => `value ->> '$.${c}'`).join(', ')} FROM json_each(?)`;
const POSTGRES_INSERT = `INSERT INTO "AuditEvent" (${COLUMN_LIST}) SELECT ${COLUMN_LIST} FROM jsonb_to_recordset($1::jsonb) AS x(${AUDIT_COLUMNS.map((c) => `"${c}" ${POSTGRES_TYPES[c]}`).join(', ')})`;

export interface ChainHead {
  seq: number;
  hash: string;
}

export const GENESIS_HEAD: ChainHead = { seq: 0, hash: GENESIS_HASH };

/** Another appender took the seq this batch was linked to; the caller re-reads the head and relinks. */
function isSeqConflict(error: unknown): boolean {
  const text = `${(error as Error)?.message ?? ''} ${JSON.stringify((error as { meta?: unknown })?.meta ?? {})}`;
  return /UNIQUE constraint failed: AuditEvent\.seq|AuditEvent_pkey|SQLITE_CONSTRAINT_PRIMARYKEY|23505/.test(text);
}

/**
 * One statement per batch: the whole batch travels as one JSON parameter that the
 * database unpacks itself (json_each on SQLite, jsonb_to_recordset on PostgreSQL), so
 * Prisma's per-value work and per-statement round trips stay out of the hot path.
 */
async function insertAuditRows(database: Database, events: ChainedAuditEvent[], receivedAt: Date): Promise<void> {
  // Not destructured: on SQLite `prisma` loads the client on first read, and this path needs none.
  const { provider, sqlite } = database;
  const time = (iso: string) => (provider === 'sqlite' ? iso.replace('Z', '+00:00') : iso);
  const received = time(receivedAt.toISOString());
  // details in canonical form: the text that was hashed, so verification can hash it as stored.
  const payload = JSON.stringify(
    events.map((event) => ({
      ...event,
      at: time(event.at),
      details: canonicalJson(event.details),
      receivedAt: received,
      hostId: event.hostId ?? LOCAL_HOST_ID,
    })),
  );
  if (sqlite) {
    await serializeSqliteWrite(sqlite, () => sqliteInsert(sqlite).run(payload));
    return;
  }
  await database.prisma.$executeRawUnsafe(provider === 'sqlite' ? SQLITE_INSERT : POSTGRES_INSERT, payload);
}

const preparedInserts = new WeakMap<BetterSqlite3.Database, BetterSqlite3.Statement>();

function sqliteInsert(connection: BetterSqlite3.Database): BetterSqlite3.Statement {
  let statement = preparedInserts.get(connection);
  if (!statement) {
    statement = connection.prepare(SQLITE_INSERT);
    preparedInserts.set(connection, statement);
  }
  return statement;
}

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
    const linked = linkEvents(head, events);
    try {
      await insertAuditRows(database, linked, receivedAt);
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
          sqliteInsert(connection).run(
            JSON.stringify([{ ...canary, at: at.replace('Z', '+00:00'), details: '{}', receivedAt: at.replace('Z', '+00:00'), hostId: LOCAL_HOST_ID }]),
          );
          throw new CanaryRolledBack();
        }),
      );
    } else {
      await database.prisma.$transaction(async (tx) => {
        await insertAuditRows({ ...database, prisma: tx as Db }, [canary], new Date());
        throw new CanaryRolledBack();
      });
    }
  } catch (error) {
    return error instanceof CanaryRolledBack;
  }
  return true;
}
