import type { StoredAuditEvent } from '@/lib/audit/hash-chain';
import type { Database } from '../db/client';
import { AUDIT_SELECT_COLUMNS, rowToStoredEvent, SQLITE_RANGE_PAGE, type RawAuditRow } from './stored-event-row';

const PAGE = 10_000;

/**
 * The stored chain in (afterSeq, throughSeq], in keyset pages of 10k: the raw
 * better-sqlite3 connection on SQLite, one raw query per page on PostgreSQL; never
 * Prisma per row, which would cost more than the hashing.
 */
export async function* storedEventPages(database: Database, afterSeq: number, throughSeq: number, pageSize = PAGE): AsyncGenerator<StoredAuditEvent[]> {
  let after = afterSeq;
  const sqlitePage = database.sqlite?.prepare<[number, number, number], RawAuditRow>(SQLITE_RANGE_PAGE);
  for (;;) {
    const rows = sqlitePage
      ? sqlitePage.all(after, throughSeq, pageSize)
      : await database.prisma.$queryRawUnsafe<RawAuditRow[]>(
          `SELECT ${AUDIT_SELECT_COLUMNS} FROM "AuditEvent" WHERE "seq" > $1 AND "seq" <= $2 ORDER BY "seq" LIMIT $3`,
          after,
          throughSeq,
          pageSize,
        );
    if (rows.length === 0) return;
    const page = rows.map(rowToStoredEvent);
    yield page;
    if (rows.length < pageSize) return;
    after = page[page.length - 1].seq;
  }
}

export async function storedEventHashAt(database: Database, seq: number): Promise<{ hash: string; at: string } | null> {
  const row = await database.prisma.auditEvent.findUnique({ where: { seq }, select: { hash: true, at: true } });
  return row ? { hash: row.hash, at: row.at.toISOString() } : null;
}

export async function storedHeadSeq(database: Database): Promise<number> {
  const last = await database.prisma.auditEvent.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true } });
  return last?.seq ?? 0;
}
