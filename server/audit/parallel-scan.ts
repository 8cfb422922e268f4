import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Database } from '../db/client';
import { storedEventPages } from './stored-events';
import { MAX_REPORTED_BREAKS, RangeScanner, type ChainBreakAt, type RangeScan, type RangeTask } from './verify-range';

/** Below this many events more than one thread costs more to start than it saves. */
const PARALLEL_FROM = 100_000;
/**
 * From this many events (≈ 50 ms of hashing) a scan leaves the main thread, whose event
 * loop serves the worker's HTTP and socket.io traffic. Smaller incremental runs after a
 * checkpoint stay, as a thread would cost more to start than they take.
 */
const OFF_THREAD_FROM = 10_000;

export interface ChainScan {
  events: number;
  lastGoodSeq: number;
  failure: RangeScan['failure'];
  /** Every break found, in seq order (at most MAX_REPORTED_BREAKS); the first is `failure` or comes before it. */
  breaks: ChainBreakAt[];
  hashAt: Map<number, string>;
  /** Where each piece ran: worker thread ids, 0 for the main thread. */
  threadIds: number[];
}

function scanInThread(source: { file: string } | { postgresUrl: string }, task: RangeTask): Promise<RangeScan> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./verify-range-thread.mjs', import.meta.url), { workerData: { ...source, task } });
    worker.once('message', (message: { ok: true; scan: RangeScan } | { ok: false; message: string }) => {
      if (message.ok) resolve(message.scan);
      else reject(new Error(`verification thread failed: ${message.message}`));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`verification thread exited with ${code}`)));
  });
}

async function scanHere(database: Database, task: RangeTask): Promise<RangeScan> {
  const scanner = new RangeScanner(task);
  for await (const page of storedEventPages(database, task.afterSeq, task.throughSeq)) {
    for (const event of page) if (!scanner.push(event)) return scanner.scan;
  }
  return scanner.scan;
}

function splitRange(start: number, head: number, parts: number, checkpointSeqs: number[]): RangeTask[] {
  const size = Math.ceil((head - start) / parts);
  const tasks: RangeTask[] = [];
  for (let after = start; after < head; after += size) {
    const through = Math.min(after + size, head);
    tasks.push({ afterSeq: after, throughSeq: through, checkpointSeqs: checkpointSeqs.filter((s) => s > after && s <= through) });
  }
  return tasks;
}

export interface ScanOptions {
  parallelFrom?: number;
  threads?: number;
  /** 0 or 1: every non-empty scan runs in a thread. */
  offThreadFrom?: number;
}

/**
 * Hash checks are independent per event and links only compare adjacent stored hashes,
 * so the range is cut in one piece per core, each checked by a thread on a connection of
 * its own, and the pieces are stitched at their boundaries: a piece's first
 * prevHash must be the previous piece's last hash.
 */
export async function scanChain(
  database: Database,
  start: { seq: number; hash: string },
  headSeq: number,
  checkpointSeqs: number[],
  { parallelFrom = PARALLEL_FROM, threads = Math.min(availableParallelism(), 4), offThreadFrom = OFF_THREAD_FROM }: ScanOptions = {},
): Promise<ChainScan> {
  const source = database.sqlite
    ? database.sqlite.name !== ':memory:'
      ? { file: database.sqlite.name }
      : null
    : database.url
      ? { postgresUrl: database.url }
      : null;
  const span = headSeq - start.seq;
  const offThread = source !== null && span > 0 && span >= offThreadFrom;
  const tasks =
    offThread && threads > 1 && span >= parallelFrom
      ? splitRange(start.seq, headSeq, threads, checkpointSeqs)
      : [{ afterSeq: start.seq, throughSeq: headSeq, checkpointSeqs }];
  const scans = offThread ? await Promise.all(tasks.map((task) => scanInThread(source, task))) : [await scanHere(database, tasks[0])];

  const result: ChainScan = {
    events: 0,
    lastGoodSeq: start.seq,
    failure: null,
    breaks: allBreaks(start.hash, tasks, scans),
    hashAt: new Map(),
    threadIds: scans.map((scan) => scan.threadId),
  };
  let expectedPrev = start.hash;
  for (let i = 0; i < scans.length; i++) {
    const scan = scans[i];
    for (const [seq, hash] of Object.entries(scan.hashAt)) result.hashAt.set(Number(seq), hash);
    if (scan.firstPrevHash !== null && scan.firstPrevHash !== expectedPrev) {
      // The piece's first event does not link to the previous piece: a break at its first seq.
      result.failure = {
        seq: tasks[i].afterSeq + 1,
        problem: scan.failure?.seq === tasks[i].afterSeq + 1 && scan.failure.problem === 'seq-gap' ? 'seq-gap' : 'prev-hash-mismatch',
      };
      break;
    }
    result.events += scan.events;
    result.lastGoodSeq = scan.lastGoodSeq;
    if (scan.failure) {
      result.failure = scan.failure;
      break;
    }
    if (scan.lastGoodSeq < tasks[i].throughSeq && i < scans.length - 1) {
      // The piece ended early without a break (rows missing at its end): the next seq is a gap.
      result.failure = { seq: scan.lastGoodSeq + 1, problem: 'seq-gap' };
      break;
    }
    expectedPrev = scan.lastGoodHash ?? expectedPrev;
  }
  for (const seq of [...result.hashAt.keys()]) if (seq > result.lastGoodSeq) result.hashAt.delete(seq);
  if (result.failure && !result.breaks.some((b) => b.seq === result.failure!.seq))
    result.breaks = [result.failure, ...result.breaks].sort((a, b) => a.seq - b.seq);
  return result;
}

/** The breaks of every piece, and at every seam where a piece does not link to the stored end of the one before. */
function allBreaks(startHash: string, tasks: RangeTask[], scans: RangeScan[]): ChainBreakAt[] {
  const breaks: ChainBreakAt[] = [];
  let previousHash: string | null = startHash;
  for (let i = 0; i < scans.length; i++) {
    const scan = scans[i];
    const seamSeq = tasks[i].afterSeq + 1;
    if (scan.firstPrevHash !== null && previousHash !== null && scan.firstPrevHash !== previousHash && scan.breaks[0]?.seq !== seamSeq) {
      breaks.push({ seq: seamSeq, problem: 'prev-hash-mismatch' });
    }
    breaks.push(...scan.breaks);
    previousHash = scan.lastHash ?? previousHash;
  }
  return breaks.slice(0, MAX_REPORTED_BREAKS);
}
