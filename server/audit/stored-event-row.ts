// Shared by the main thread and verification threads: relative imports only.
import type { StoredAuditEvent } from '../../lib/audit/hash-chain';
import type { ChainedAuditEvent, Severity } from '../../lib/audit/types';
import type { JsonObject } from '../../lib/canonical-json';

export const AUDIT_SELECT_COLUMNS =
  '"seq", "eventId", "at", "type", "severity", "actor", "action", "module", "resource", "reason", "method", "source", "details", "prevHash", "hash", "hostId"';
export const SQLITE_RANGE = `SELECT ${AUDIT_SELECT_COLUMNS} FROM "AuditEvent" WHERE "seq" > ? AND "seq" <= ? ORDER BY "seq"`;
export const SQLITE_RANGE_PAGE = `SELECT ${AUDIT_SELECT_COLUMNS} FROM "AuditEvent" WHERE "seq" > ? AND "seq" <= ? ORDER BY "seq" LIMIT ?`;

/** A row as a driver returns it: `at` in whatever form it was stored, details still JSON text. */
export type RawAuditRow = Omit<ChainedAuditEvent, 'at' | 'severity' | 'details' | 'hostId'> & {
  at: string | number | Date;
  severity: string;
  details: string;
  hostId: number | bigint;
};

/**
 * SQLite keeps `at` as text ("…+00:00") or epoch milliseconds depending on who wrote it;
 * PostgreSQL's text form of timestamp(3) without time zone (which holds UTC) drops
 * trailing zeros: "2026-01-02 03:04:05.6".
 */
function isoOf(at: string | number | Date): string {
  if (typeof at === 'string') {
    if (at.length === 29 && at[10] === 'T' && at.endsWith('+00:00')) return `${at.slice(0, 23)}Z`;
    if (at.length === 24 && at[10] === 'T' && at.endsWith('Z')) return at;
    if (at[10] === ' ' && (at.length === 19 || (at[19] === '.' && at.length <= 23)))
      return `${at.slice(0, 10)}T${at.slice(11, 19)}.${at.slice(20).padEnd(3, '0')}Z`;
    return new Date(/^\d+$/.test(at) ? Number(at) : at).toISOString();
  }
  return (typeof at === 'number' ? new Date(at) : at).toISOString();
}

export function rowToStoredEvent(row: RawAuditRow): StoredAuditEvent {
  return {
    seq: Number(row.seq),
    eventId: row.eventId,
    at: isoOf(row.at),
    type: row.type,
    severity: row.severity as Severity,
    actor: row.actor,
    action: row.action,
    module: row.module,
    resource: row.resource,
    reason: row.reason,
    method: row.method,
    source: row.source,
    details: row.details,
    prevHash: row.prevHash,
    hash: row.hash,
    hostId: Number(row.hostId),
  };
}

export function rowToEvent(row: RawAuditRow): ChainedAuditEvent {
  return { ...rowToStoredEvent(row), details: JSON.parse(row.details) as JsonObject };
}

/** The same, from a row read in array mode, which both drivers deliver faster than objects. */
export function arrayToStoredEvent(row: unknown[]): StoredAuditEvent {
  return {
    seq: Number(row[0]),
    eventId: row[1] as string,
    at: isoOf(row[2] as string | number),
    type: row[3] as string,
    severity: row[4] as Severity,
    actor: row[5] as string,
    action: row[6] as string,
    module: row[7] as string | null,
    resource: row[8] as string | null,
    reason: row[9] as string | null,
    method: row[10] as string | null,
    source: row[11] as string | null,
    details: row[12] as string,
    prevHash: row[13] as string,
    hash: row[14] as string,
    hostId: Number(row[15]),
  };
}
