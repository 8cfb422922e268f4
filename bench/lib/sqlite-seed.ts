import type BetterSqlite3 from 'better-sqlite3';
import type { ChainedAuditEvent } from '@/lib/audit/types';
import { canonicalJson } from '@/lib/canonical-json';

/**
 * Seeds chained events straight through the driver, one transaction per batch and no
 * fsync: the benchmarks measure reading, not how fast their fixture was written.
 */
export function sqliteBulkInserter(raw: BetterSqlite3.Database): (rows: ChainedAuditEvent[]) => void {
  raw.pragma('synchronous = OFF');
  const insert = raw.prepare(
    'INSERT INTO "AuditEvent" ("seq","eventId","at","type","severity","actor","action","module","resource","reason","method","source","details","prevHash","hash") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)',
  );
  return raw.transaction((rows: ChainedAuditEvent[]) => {
    for (const e of rows)
      insert.run(
        e.seq,
        e.eventId,
        e.at.replace('Z', '+00:00'),
        e.type,
        e.severity,
        e.actor,
        e.action,
        e.module,
        e.resource,
        e.reason,
        e.method,
        e.source,
        canonicalJson(e.details),
        e.prevHash,
        e.hash,
      );
  });
}
