import type { Database, Db } from '../db/client';
import { linkEvents, type UnhashedAuditEvent } from '@/lib/audit/hash-chain';
import type { ChainedAuditEvent, Severity } from '@/lib/audit/types';
import type { JsonObject } from '@/lib/canonical-json';

type AuditRow = Awaited<ReturnType<Db['auditEvent']['findFirstOrThrow']>>;

export type PendingAuditEvent = Omit<UnhashedAuditEvent, 'seq' | 'prevHash'>;

export function fromRow(row: AuditRow): ChainedAuditEvent {
  return {
    seq: row.seq,
    eventId: row.eventId,
    at: row.at.toISOString(),
    type: row.type,
    severity: row.severity as Severity,
    actor: row.actor,
    action: row.action,
    module: row.module,
    resource: row.resource,
    reason: row.reason,
    method: row.method,
    source: row.source,
    details: JSON.parse(row.details) as JsonObject,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

const AUDIT_COLUMNS = ['seq', 'eventId', 'at', 'type', 'severity', 'actor', 'action', 'module', 'resource', 'reason', 'method', 'source', 'details', 'prevHash', 'hash'] as const;
const COLUMN_LIST = AUDIT_COLUMNS.map((c) => `"${c}"`).join(', ');
const POSTGRES_TYPES: Record<(typeof AUDIT_COLUMNS)[number], string> = {
  seq: 'integer', eventId: 'text', at: 'timestamp(3)', type: 'text', severity: 'text', actor: 'text', action: 'text', module: 'text',
  resource: 'text', reason: 'text', method: 'text', source: 'text', details: 'text', prevHash: 'text', hash: 'text',
};

/**
 * The whole batch travels as one JSON parameter that the database unpacks itself
 * (json_each on SQLite, jsonb_to_recordset on PostgreSQL). Prisma's createMany, or a
 * multi-row VALUES list, pushes every value through the query compiler and costs
 * 15-250 µs an event; this keeps the append path near the database's own speed.
 */
async function insertAuditRows(tx: Tx, provider: Database['provider'], events: ChainedAuditEvent[]): Promise<void> {
  const payload = JSON.stringify(
    events.map((event) => ({ ...event, at: provider === 'sqlite' ? event.at.replace('Z', '+00:00') : event.at, details: JSON.stringify(event.details) })),
  );
  if (provider === 'sqlite') {
    const extract = AUDIT_COLUMNS.map((c) => `json_extract(value, '$.${c}')`).join(', ');
    await tx.$executeRawUnsafe(`INSERT INTO "AuditEvent" (${COLUMN_LIST}) SELECT ${extract} FROM json_each(?)`, payload);
    return;
  }
  const recordType = AUDIT_COLUMNS.map((c) => `"${c}" ${POSTGRES_TYPES[c]}`).join(', ');
  await tx.$executeRawUnsafe(`INSERT INTO "AuditEvent" (${COLUMN_LIST}) SELECT ${COLUMN_LIST} FROM jsonb_to_recordset($1::jsonb) AS x(${recordType})`, payload);
}

/**
 * Appends a batch in one transaction. The first statement writes the head row,
 * which takes the write lock (SQLite) or the row lock (PostgreSQL) before the head
 * is read: appenders in other processes queue behind it instead of forking the chain.
 */
export async function appendAuditBatch({ prisma, provider }: Database, events: PendingAuditEvent[]): Promise<ChainedAuditEvent[]> {
  if (events.length === 0) return [];
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`UPDATE "AuditHead" SET "seq" = "seq" WHERE "id" = 1`;
      const head = await tx.auditHead.findUniqueOrThrow({ where: { id: 1 } });
      const linked = linkEvents(head, events);
      await insertAuditRows(tx, provider, linked);
      const last = linked[linked.length - 1];
      await tx.auditHead.update({ where: { id: 1 }, data: { seq: last.seq, hash: last.hash } });
      return linked;
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
}

export async function readAuditHead(db: Db): Promise<{ seq: number; hash: string }> {
  const head = await db.auditHead.findUniqueOrThrow({ where: { id: 1 } });
  return { seq: head.seq, hash: head.hash };
}

/** Events with seq > afterSeq in chain order, one page at a time. */
export async function readAuditPage(db: Db, afterSeq: number, take: number): Promise<ChainedAuditEvent[]> {
  const rows = await db.auditEvent.findMany({ where: { seq: { gt: afterSeq } }, orderBy: { seq: 'asc' }, take });
  return rows.map(fromRow);
}

export async function findCommittedEventIds(db: Db, eventIds: string[]): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set();
  const rows = await db.auditEvent.findMany({ where: { eventId: { in: eventIds } }, select: { eventId: true } });
  return new Set(rows.map((r) => r.eventId));
}

export async function latestAuditEvents(db: Db, take: number): Promise<ChainedAuditEvent[]> {
  const rows = await db.auditEvent.findMany({ orderBy: { seq: 'desc' }, take });
  return rows.map(fromRow);
}
