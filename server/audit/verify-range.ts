// Runs inside verification threads as well as in the main thread: relative imports only,
// so tsx can load it in a worker thread without the app's path aliases.
import { threadId } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';
import type { Client as PgClient } from 'pg';
import { ChainVerifier, type ChainBreak, type StoredAuditEvent } from '../../lib/audit/hash-chain';
import { arrayToStoredEvent, AUDIT_SELECT_COLUMNS, SQLITE_RANGE } from './stored-event-row';

const PG_PAGE = 10_000;
/** Past this many broken events a report says "and more" instead of listing a wholesale rewrite. */
export const MAX_REPORTED_BREAKS = 1000;

export interface ChainBreakAt {
  seq: number;
  problem: ChainBreak;
}

export interface RangeTask {
  afterSeq: number;
  throughSeq: number;
  /** Seqs of checkpoints in the range: their stored hashes are reported back. */
  checkpointSeqs: number[];
}

export interface RangeScan {
  events: number;
  /** The first event's prevHash: the caller checks it against the previous range's last hash. */
  firstPrevHash: string | null;
  /** The last event that checked out (afterSeq when none did). */
  lastGoodSeq: number;
  lastGoodHash: string | null;
  failure: ChainBreakAt | null;
  /**
   * Every break in the range, the first included: checking goes on past a break from the
   * stored event itself, so a later edit is not hidden behind an earlier one.
   */
  breaks: ChainBreakAt[];
  /** The last stored event's hash, good or not: where the next range must link to. */
  lastHash: string | null;
  hashAt: Record<number, string>;
  /** The thread that scanned: 0 is the main thread. */
  threadId: number;
}

/**
 * Checks every event of (afterSeq, throughSeq]: its hash, its link to the stored event
 * before it and the seq order. The first event's link is trusted here and returned, so
 * ranges can be checked independently and stitched together afterwards.
 */
export class RangeScanner {
  private verifier: ChainVerifier | null = null;
  private readonly wanted: Set<number>;
  readonly scan: RangeScan;

  constructor(private readonly task: RangeTask) {
    this.wanted = new Set(task.checkpointSeqs);
    this.scan = {
      events: 0,
      firstPrevHash: null,
      lastGoodSeq: task.afterSeq,
      lastGoodHash: null,
      failure: null,
      breaks: [],
      lastHash: null,
      hashAt: {},
      threadId,
    };
  }

  /** False once there is nothing more worth reading: the list of breaks is full. */
  push(event: StoredAuditEvent): boolean {
    if (!this.verifier) {
      this.scan.firstPrevHash = event.prevHash;
      this.verifier = new ChainVerifier({ seq: this.task.afterSeq, hash: event.prevHash });
    }
    this.scan.lastHash = event.hash;
    if (!this.verifier.push(event)) return this.recordBreak(event);
    if (this.scan.failure) return true;
    this.scan.events += 1;
    this.scan.lastGoodSeq = event.seq;
    this.scan.lastGoodHash = event.hash;
    if (this.wanted.has(event.seq)) this.scan.hashAt[event.seq] = event.hash;
    return true;
  }

  /**
   * Notes the break and starts checking again from the stored event: a bad link (or a gap)
   * is judged from the event's own prevHash, so its hash is still checked; an event whose
   * hash does not match is taken as it is stored, so the next event's link is still checked.
   */
  private recordBreak(event: StoredAuditEvent): boolean {
    const verdict = this.verifier!.verdict();
    if (verdict.ok) return true;
    const found = { seq: verdict.firstBadSeq, problem: verdict.problem };
    this.scan.failure ??= found;
    if (this.scan.breaks[this.scan.breaks.length - 1]?.seq !== found.seq) this.scan.breaks.push(found);
    if (verdict.problem === 'hash-mismatch') {
      this.verifier = new ChainVerifier({ seq: event.seq, hash: event.hash });
    } else {
      this.verifier = new ChainVerifier({ seq: event.seq - 1, hash: event.prevHash });
      if (!this.verifier.push(event)) {
        const again = this.verifier.verdict();
        if (!again.ok && this.scan.breaks[this.scan.breaks.length - 1]?.seq !== again.firstBadSeq)
          this.scan.breaks.push({ seq: again.firstBadSeq, problem: again.problem });
        this.verifier = new ChainVerifier({ seq: event.seq, hash: event.hash });
      }
    }
    return this.scan.breaks.length < MAX_REPORTED_BREAKS;
  }
}

/** One streaming read of the range in raw mode, on a connection of its own. */
export function scanSqliteRange(connection: BetterSqlite3.Database, task: RangeTask): RangeScan {
  const scanner = new RangeScanner(task);
  const rows = connection.prepare<[number, number], unknown[]>(SQLITE_RANGE).raw(true).iterate(task.afterSeq, task.throughSeq);
  for (const row of rows) {
    if (!scanner.push(arrayToStoredEvent(row))) {
      rows.return?.();
      break;
    }
  }
  return scanner.scan;
}

/**
 * Keyset pages through node-postgres in array mode (no object per row); the next page is
 * fetched while this one is hashed.
 */
export async function scanPostgresRange(client: PgClient, task: RangeTask, pageSize = PG_PAGE): Promise<RangeScan> {
  const scanner = new RangeScanner(task);
  const text = `SELECT ${AUDIT_SELECT_COLUMNS} FROM "AuditEvent" WHERE "seq" > $1 AND "seq" <= $2 ORDER BY "seq" LIMIT ${pageSize}`;
  const fetchAfter = (after: number) => client.query<unknown[]>({ text, values: [after, task.throughSeq], rowMode: 'array' }).then((r) => r.rows);
  let next: Promise<unknown[][]> | null = fetchAfter(task.afterSeq);
  while (next) {
    const rows: unknown[][] = await next;
    next = rows.length === pageSize ? fetchAfter(Number(rows[rows.length - 1][0])) : null;
    for (const row of rows) {
      if (!scanner.push(arrayToStoredEvent(row))) {
        await next?.catch(() => undefined);
        return scanner.scan;
      }
    }
  }
  return scanner.scan;
}
