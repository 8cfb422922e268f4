import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { HashedContent, StagedMeta } from './blob-io';

/** One small blob to copy to `dest`, verified as copySmall does on the main thread. */
export interface SmallCopy {
  blob: string;
  dest: string;
  expected: HashedContent;
  meta: StagedMeta;
}

/** One file to copy into the new file `tmp` in the store, hashing what was copied. */
export interface StoreJob {
  file: string;
  tmp: string;
}

export type CopyOutcome = { ok: true; result: HashedContent } | { ok: false; message: string; code?: string; path?: string };

/** What a lent thread is given batches of: small blobs to stage for a restore, or files to store for a snapshot. */
export interface LentJobs {
  copySmallBatch: SmallCopy;
  storeBatch: StoreJob;
}
export type LentKind = keyof LentJobs;

/** Small files per message to a lent blob thread: ~10 ms of work for 40 KiB files, so the lender hears back often. */
export const LENT_BATCH = 32;
/** Fewer small files than this are handled by the lender alone: starting a thread would cost more than it saves. */
export const LEND_FROM = 256;

type Job = { kind: 'store'; job: StoreJob } | { kind: 'copy'; job: SmallCopy } | { kind: LentKind; job: { jobs: unknown[] } };

type Reply = { id: number } & CopyOutcome;

interface Pending {
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
}

interface Lending {
  kind: LentKind;
  take: () => unknown[];
  done: (batch: unknown[], outcomes: CopyOutcome[]) => void;
  startThreads: boolean;
  inFlight: number;
  /** Nothing more is taken: returned, emptied, or failed. */
  over: boolean;
  error: unknown;
  waiters: (() => void)[];
}

interface Lane {
  worker: Worker;
  busy: boolean;
}

/** An error from the thread as node's fs would have thrown it here, code and path included. */
export function threadError(reply: Extract<CopyOutcome, { ok: false }>): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(reply.message);
  if (reply.code !== undefined) error.code = reply.code;
  if (reply.path !== undefined) error.path = reply.path;
  return error;
}

/**
 * Big files' copies and hashes on threads of their own, one per core, started on the first
 * job (a snapshot of small files starts none) and stopped by close(). A job waits for a free
 * thread; each thread does one at a time, reading and hashing with blocking calls.
 */
export class BlobThreads {
  private readonly lanes: Lane[] = [];
  private readonly queue: { id: number; message: Job }[] = [];
  private readonly pending = new Map<number, Pending & { lane?: Lane }>();
  private nextId = 0;
  private closed = false;
  private lending: Lending | null = null;

  constructor(private readonly maxThreads = availableParallelism()) {}

  /** Copies `file` into the new file `tmp`, hashing what was copied. */
  store(file: string, tmp: string): Promise<HashedContent> {
    return this.submit({ kind: 'store', job: { file, tmp } }) as Promise<HashedContent>;
  }

  /** Copies a blob to the new file `dest` and hashes the copy; the metadata is applied only when it matches. */
  copy(blob: string, dest: string, expected: HashedContent, meta: StagedMeta): Promise<HashedContent> {
    return this.submit({ kind: 'copy', job: { blob, dest, expected: { hash: expected.hash, size: expected.size }, meta } }) as Promise<HashedContent>;
  }

  /**
   * Lends threads that have nothing else to do to small jobs of one kind (`kind`), a batch at a
   * time, until returnLent(). `take` is called only when a thread is free and no other job waits, and the
   * batch it returns is posted to that thread in the same tick: whatever `take` checks is
   * checked right before the thread gets it, as for a big file. An empty batch means nothing
   * is left. `startThreads` lets it start threads not running yet (worth it for many files).
   * Each answer goes to `done`, on this thread. After the first error that `take` or `done`
   * throws, or a lost thread, nothing more is taken; returnLent() rethrows it.
   */
  lendIdle<K extends LentKind, J extends LentJobs[K]>(
    kind: K,
    take: () => J[],
    done: (batch: J[], outcomes: CopyOutcome[]) => void,
    { startThreads = false } = {},
  ): void {
    if (this.closed) throw new Error('the blob threads are closed');
    if (this.lending) throw new Error('the blob threads are already lent');
    this.lending = { kind, take, done: done as Lending['done'], startThreads, inFlight: 0, over: false, error: undefined, waiters: [] };
    // After the caller's own jobs of this tick are queued: they go first.
    setImmediate(() => this.dispatch());
  }

  /** Ends the lending: resolves once every batch handed out was answered, or rejects with its first error. */
  returnLent(): Promise<void> {
    const lending = this.lending;
    if (!lending) return Promise.resolve();
    lending.over = true;
    return new Promise<void>((resolve) => {
      lending.waiters.push(resolve);
      this.endLending();
    }).then(() => {
      if (lending.error !== undefined) throw lending.error;
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    // Batches still out are not answered any more: whoever waits for them is let go, with an error.
    if (this.lending) {
      this.failLending(this.lending, new Error('the blob threads were closed'));
      this.lending.inFlight = 0;
      this.endLending();
    }
    const lanes = this.lanes.splice(0);
    await Promise.all(lanes.map((lane) => lane.worker.terminate()));
  }

  private submit(message: Job): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('the blob threads are closed'));
    const id = this.nextId++;
    return new Promise<unknown>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.queue.push({ id, message });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const lane = this.lanes.find((l) => !l.busy) ?? (this.lanes.length < this.maxThreads ? this.startLane() : undefined);
      if (!lane) return;
      const { id, message } = this.queue.shift()!;
      lane.busy = true;
      this.pending.get(id)!.lane = lane;
      lane.worker.postMessage({ id, ...message });
    }
    this.lend();
  }

  private lend(): void {
    const lending = this.lending;
    while (lending && !lending.over && !this.closed) {
      const lane = this.lanes.find((l) => !l.busy) ?? (lending.startThreads && this.lanes.length < this.maxThreads ? this.startLane() : undefined);
      if (!lane) return;
      let batch: unknown[];
      try {
        batch = lending.take();
      } catch (error) {
        this.failLending(lending, error);
        return;
      }
      if (batch.length === 0) {
        lending.over = true;
        return;
      }
      const id = this.nextId++;
      lending.inFlight += 1;
      const answered = (error?: unknown) => {
        lending.inFlight -= 1;
        if (error !== undefined) this.failLending(lending, error);
        this.endLending();
      };
      this.pending.set(id, {
        lane,
        resolve: (outcomes) => {
          try {
            lending.done(batch, outcomes as CopyOutcome[]);
            answered();
          } catch (error) {
            answered(error);
          }
        },
        reject: (error) => answered(error),
      });
      lane.busy = true;
      lane.worker.postMessage({ id, kind: lending.kind, job: { jobs: batch } });
    }
  }

  private failLending(lending: Lending, error: unknown): void {
    lending.over = true;
    lending.error ??= error;
  }

  /** Once the lending is returned and nothing lent is in flight, its waiters go on. */
  private endLending(): void {
    const lending = this.lending;
    if (!lending || !lending.over || lending.inFlight > 0 || lending.waiters.length === 0) return;
    this.lending = null;
    for (const resolve of lending.waiters) resolve();
  }
  private startLane(): Lane {
    const worker = new Worker(new URL('./blob-thread.mjs', import.meta.url));
    const lane: Lane = { worker, busy: false };
    worker.on('message', (reply: Reply) => {
      const job = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      lane.busy = false;
      if (reply.ok) job?.resolve(reply.result);
      else job?.reject(threadError(reply));
      this.dispatch();
    });
    // A thread that dies takes its job with it: that job fails, the others go to the other threads.
    const lost = (error: Error) => {
      this.lanes.splice(this.lanes.indexOf(lane), 1);
      for (const [id, job] of this.pending) {
        if (job.lane !== lane) continue;
        this.pending.delete(id);
        job.reject(error);
      }
      this.dispatch();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => {
      if (!this.closed && this.lanes.includes(lane)) lost(new Error(`a blob thread exited with code ${code}`));
    });
    this.lanes.push(lane);
    return lane;
  }
}
