import type BetterSqlite3 from 'better-sqlite3';
import { GENESIS_HASH, linkEventsWithText } from '@/lib/audit/hash-chain';
import type { ChainedAuditEvent } from '@/lib/audit/types';
import type { Database, Db } from '../db/client';
import { serializeSqliteWrite, toSqliteDate } from '../db/store';
import { isSeqConflict, POSTGRES_INSERT, postgresAuditRows, sqliteInsertBatch, type ChainHead, type PendingAuditEvent } from './audit';

/** An event an agent reported, with its place in that agent's own sequence. */
export type HostEvent = PendingAuditEvent & { hostSeq: number };

export interface HostEvents {
  hostId: number;
  /** The last of the host's events the sender knows the chain holds. */
  afterSeq: number;
  /** Oldest first, hostSeq strictly increasing. */
  events: HostEvent[];
  /** The agent's chain was replaced: its numbering starts again after afterSeq, below the cursor. */
  reset?: boolean;
}

export type HostOutcome =
  /** Everything up to ackedSeq is in the chain: this batch's new events, and any that an earlier commit took already. */
  | { hostId: number; status: 'committed'; ackedSeq: number; committed: number; skipped: number; resetFrom?: number }
  /** Revoked or unknown: nothing of it was taken. */
  | { hostId: number; status: 'refused' }
  /** The batch starts beyond what the chain holds of the host (an earlier batch was lost): nothing taken. */
  | { hostId: number; status: 'behind'; ackedSeq: number };

export interface FleetCommit {
  outcomes: HostOutcome[];
  /** In chain order. */
  chained: ChainedAuditEvent[];
}

interface HostCursor {
  eventSeq: number;
  revokedAt: unknown;
}

/**
 * What one transaction does with the cursors it read: skips every event at or below its host's
 * cursor (a resend after a lost acknowledgement), links the rest onto the head and moves the
 * cursors. Pure, so both databases share it.
 */
function plan(head: ChainHead, groups: HostEvents[], cursors: Map<number, HostCursor | undefined>) {
  const outcomes: HostOutcome[] = [];
  const pending: PendingAuditEvent[] = [];
  const moved = new Map<number, number>();
  for (const { hostId, afterSeq, events, reset } of groups) {
    const cursor = cursors.get(hostId);
    if (!cursor || cursor.revokedAt !== null) {
      outcomes.push({ hostId, status: 'refused' });
      continue;
    }
    // Several groups of one host in one transaction: the later one starts where the earlier one ended.
    const held = moved.get(hostId) ?? cursor.eventSeq;
    // A replaced chain numbers its events again from below what the console holds: taken from where it says.
    const resetFrom = reset && afterSeq < held ? held : undefined;
    const from = resetFrom === undefined ? held : afterSeq;
    if (afterSeq > from) {
      outcomes.push({ hostId, status: 'behind', ackedSeq: from });
      continue;
    }
    const fresh = events.filter((event) => event.hostSeq > from);
    for (const { hostSeq: _seq, ...event } of fresh) pending.push({ ...event, hostId });
    const ackedSeq = fresh.length ? fresh[fresh.length - 1].hostSeq : from;
    moved.set(hostId, ackedSeq);
    outcomes.push({
      hostId,
      status: 'committed',
      ackedSeq,
      committed: fresh.length,
      skipped: events.length - fresh.length,
      ...(resetFrom !== undefined && { resetFrom }),
    });
  }
  // The details' canonical text that was hashed is the text stored: serialised once.
  const { events: chained, detailsText } = linkEventsWithText(head, pending);
  return { outcomes, chained, detailsText, moved };
}

const HEAD = 'SELECT "seq", "hash" FROM "AuditEvent" ORDER BY "seq" DESC LIMIT 1';
/** Every host's cursor in one statement: a commit may carry batches of hundreds of hosts, and a round trip each held the transaction (and every agent's acknowledgement) that much longer. */
const POSTGRES_ADVANCE =
  'UPDATE "Host" AS h SET "eventSeq" = m."eventSeq", "lastSeen" = $2::timestamp(3) FROM jsonb_to_recordset($1::jsonb) AS m("id" integer, "eventSeq" integer) WHERE h."id" = m."id"';

interface SqliteFleetStatements {
  cursorOf: BetterSqlite3.Statement<[number], HostCursor>;
  head: BetterSqlite3.Statement<[], ChainHead>;
  advance: BetterSqlite3.Statement<[number, string, number]>;
  /** The whole commit as one immediate transaction. */
  commit: BetterSqlite3.Transaction<(groups: HostEvents[], now: Date) => FleetCommit>;
}

/** Prepared once per connection: preparing costs more than running these for a small batch. */
const preparedFleetStatements = new WeakMap<BetterSqlite3.Database, SqliteFleetStatements>();

function fleetStatements(sqlite: BetterSqlite3.Database): SqliteFleetStatements {
  let statements = preparedFleetStatements.get(sqlite);
  if (!statements) {
    statements = {
      cursorOf: sqlite.prepare<[number], HostCursor>('SELECT "eventSeq", "revokedAt" FROM "Host" WHERE "id" = ?'),
      head: sqlite.prepare<[], ChainHead>(HEAD),
      advance: sqlite.prepare<[number, string, number]>('UPDATE "Host" SET "eventSeq" = ?, "lastSeen" = ? WHERE "id" = ?'),
      commit: sqlite.transaction((groups: HostEvents[], now: Date) => commitOnSqlite(sqlite, groups, now)),
    };
    preparedFleetStatements.set(sqlite, statements);
  }
  return statements;
}

function commitOnSqlite(sqlite: BetterSqlite3.Database, groups: HostEvents[], now: Date): FleetCommit {
  const { cursorOf, head, advance } = fleetStatements(sqlite);
  const cursors = new Map(groups.map(({ hostId }) => [hostId, cursorOf.get(hostId)]));
  const { outcomes, chained, detailsText, moved } = plan(head.get() ?? { seq: 0, hash: GENESIS_HASH }, groups, cursors);
  // Nested in this transaction, the batch insert becomes a savepoint that commits with it.
  if (chained.length) sqliteInsertBatch(sqlite)(chained, detailsText, toSqliteDate(now));
  const seen = now.toISOString().replace('Z', '+00:00');
  for (const [hostId, eventSeq] of moved) advance.run(eventSeq, seen, hostId);
  return { outcomes, chained };
}

async function commitOnPostgres(db: Db, groups: HostEvents[], now: Date): Promise<FleetCommit> {
  return db.$transaction(
    async (tx) => {
      const ids = [...new Set(groups.map((group) => group.hostId))].sort((a, b) => a - b);
      // Locked in id order, so two replicas committing for the same hosts cannot deadlock.
      const rows = await tx.$queryRawUnsafe<Array<HostCursor & { id: number }>>(
        'SELECT "id", "eventSeq", "revokedAt" FROM "Host" WHERE "id" = ANY($1::int[]) ORDER BY "id" FOR UPDATE',
        ids,
      );
      const byId = new Map(rows.map((row) => [row.id, row]));
      const cursors = new Map(ids.map((id) => [id, byId.get(id)]));
      const [head] = await tx.$queryRawUnsafe<ChainHead[]>(HEAD);
      const { outcomes, chained, detailsText, moved } = plan(head ?? { seq: 0, hash: GENESIS_HASH }, groups, cursors);
      if (chained.length) await tx.$executeRawUnsafe(POSTGRES_INSERT, postgresAuditRows(chained, detailsText, now));
      const advanced = [...moved].map(([id, eventSeq]) => ({ id, eventSeq }));
      if (advanced.length) await tx.$executeRawUnsafe(POSTGRES_ADVANCE, JSON.stringify(advanced), now.toISOString());
      return { outcomes, chained };
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
}

/**
 * Appends agents' events to the chain exactly once: in one transaction the events above each
 * host's cursor are linked and inserted and the cursor moves to the last of them, so a batch
 * sent again after a crash on either side is skipped, never doubled. Another appender taking
 * the head meanwhile fails the whole transaction, which is then relinked, as appendAuditBatch does.
 */
export async function commitHostEvents(database: Database, groups: HostEvents[], now = new Date()): Promise<FleetCommit> {
  for (let attempt = 1; ; attempt++) {
    try {
      const { sqlite } = database;
      if (sqlite) {
        const { commit } = fleetStatements(sqlite);
        return await serializeSqliteWrite(sqlite, () => commit.immediate(groups, now));
      }
      return await commitOnPostgres(database.prisma, groups, now);
    } catch (error) {
      if (!isSeqConflict(error) || attempt >= 50) throw error;
    }
  }
}

/** The id of the newest event the chain holds from `hostId`, or null. */
export async function lastHostEventId(db: Db, hostId: number): Promise<string | null> {
  const row = await db.auditEvent.findFirst({ where: { hostId }, orderBy: { seq: 'desc' }, select: { eventId: true } });
  return row?.eventId ?? null;
}
