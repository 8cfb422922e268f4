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
}

export type HostOutcome =
  /** Everything up to ackedSeq is in the chain: this batch's new events, and any that an earlier commit took already. */
  | { hostId: number; status: 'committed'; ackedSeq: number; committed: number; skipped: number }
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
  for (const { hostId, afterSeq, events } of groups) {
    const cursor = cursors.get(hostId);
    if (!cursor || cursor.revokedAt !== null) {
      outcomes.push({ hostId, status: 'refused' });
      continue;
    }
    // Several groups of one host in one transaction: the later one starts where the earlier one ended.
    const from = moved.get(hostId) ?? cursor.eventSeq;
    if (afterSeq > from) {
      outcomes.push({ hostId, status: 'behind', ackedSeq: from });
      continue;
    }
    const fresh = events.filter((event) => event.hostSeq > from);
    for (const { hostSeq: _seq, ...event } of fresh) pending.push({ ...event, hostId });
    const ackedSeq = fresh.length ? fresh[fresh.length - 1].hostSeq : from;
    moved.set(hostId, ackedSeq);
    outcomes.push({ hostId, status: 'committed', ackedSeq, committed: fresh.length, skipped: events.length - fresh.length });
  }
  // The details' canonical text that was hashed is the text stored: serialised once.
  const { events: chained, detailsText } = linkEventsWithText(head, pending);
  return { outcomes, chained, detailsText, moved };
}

const HEAD = 'SELECT "seq", "hash" FROM "AuditEvent" ORDER BY "seq" DESC LIMIT 1';

function commitOnSqlite(sqlite: BetterSqlite3.Database, groups: HostEvents[], now: Date): FleetCommit {
  const cursorOf = sqlite.prepare<[number], HostCursor>('SELECT "eventSeq", "revokedAt" FROM "Host" WHERE "id" = ?');
  const cursors = new Map(groups.map(({ hostId }) => [hostId, cursorOf.get(hostId)]));
  const head = (sqlite.prepare(HEAD).get() as ChainHead | undefined) ?? { seq: 0, hash: GENESIS_HASH };
  const { outcomes, chained, detailsText, moved } = plan(head, groups, cursors);
  // Nested in this transaction, the batch insert becomes a savepoint that commits with it.
  if (chained.length) sqliteInsertBatch(sqlite)(chained, detailsText, toSqliteDate(now));
  const seen = now.toISOString().replace('Z', '+00:00');
  const advance = sqlite.prepare('UPDATE "Host" SET "eventSeq" = ?, "lastSeen" = ? WHERE "id" = ?');
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
      const cursors = new Map(ids.map((id) => [id, rows.find((row) => row.id === id)]));
      const [head] = await tx.$queryRawUnsafe<ChainHead[]>(HEAD);
      const { outcomes, chained, detailsText, moved } = plan(head ?? { seq: 0, hash: GENESIS_HASH }, groups, cursors);
      if (chained.length) await tx.$executeRawUnsafe(POSTGRES_INSERT, postgresAuditRows(chained, detailsText, now));
      for (const [hostId, eventSeq] of moved) await tx.host.update({ where: { id: hostId }, data: { eventSeq, lastSeen: now } });
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
        const run = sqlite.transaction(() => commitOnSqlite(sqlite, groups, now));
        return await serializeSqliteWrite(sqlite, () => run.immediate());
      }
      return await commitOnPostgres(database.prisma, groups, now);
    } catch (error) {
      if (!isSeqConflict(error) || attempt >= 50) throw error;
    }
  }
}
