import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { readProcStat } from '../exec/proc-stat';
import { linkIfAbsentSync } from './fs-atomic';
import { RecoveryError } from './recovery-error';

const lockHolderSchema = z.object({
  pid: z.number().int().positive(),
  /** Kernel start time of pid (field 22 of /proc/<pid>/stat): tells a reused pid from its holder. */
  pidStart: z.string().nullable(),
  host: z.string(),
  operation: z.string(),
  startedAt: z.string(),
  /** Unique per acquisition, so a holder only ever removes its own lock. */
  nonce: z.string(),
});
export type LockHolder = z.infer<typeof lockHolderSchema>;

export interface StoreLock {
  holder: LockHolder;
  release(): Promise<void>;
}

/** The start time of a live process, or null when it is gone (or /proc cannot say). */
export const processStartTime = (pid: number): string | null => readProcStat(pid)?.startTime ?? null;

type Reading = { kind: 'absent' } | { kind: 'unreadable' } | { kind: 'held'; holder: LockHolder };

async function readLock(file: string): Promise<Reading> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    return { kind: 'unreadable' };
  }
  try {
    const parsed = lockHolderSchema.safeParse(JSON.parse(text));
    return parsed.success ? { kind: 'held', holder: parsed.data } : { kind: 'unreadable' };
  } catch {
    return { kind: 'unreadable' };
  }
}

/** Only a holder on this host whose pid is gone, or now belongs to another process, is stale. */
async function isStale(holder: LockHolder): Promise<boolean> {
  if (holder.host !== hostname()) return false;
  const start = processStartTime(holder.pid);
  return start === null || (holder.pidStart !== null && start !== holder.pidStart);
}

/** Writes the content in full under a private name, then links it: the lock is never half-written. */
async function linkExclusive(file: string, content: string): Promise<boolean> {
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(tmp, 'wx', 0o640);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return linkIfAbsentSync(tmp, file);
}

const busy = (file: string, reading: Reading): RecoveryError =>
  reading.kind === 'held'
    ? new RecoveryError(
        'busy',
        `the snapshot store is busy: ${reading.holder.operation} by pid ${reading.holder.pid} on ${reading.holder.host} since ${reading.holder.startedAt}`,
      )
    : new RecoveryError('busy', `the snapshot store is busy: its lock ${file} cannot be read; if no snapshot operation is running, remove it`);

/**
 * Two takers that both judge the same lock stale must not both remove it (the second would
 * remove the first one's fresh lock), so removing a stale lock is itself exclusive. A takeover
 * lasts microseconds; one left behind by a killed process is reported, never guessed at.
 */
async function removeStaleLock(file: string, judged: LockHolder, self: LockHolder): Promise<void> {
  const breaker = `${file}.takeover`;
  if (!(await linkExclusive(breaker, JSON.stringify(self)))) {
    const other = await readLock(breaker);
    if (other.kind === 'held' && (await isStale(other.holder))) {
      throw new RecoveryError(
        'busy',
        `a takeover of the snapshot store lock was interrupted (pid ${other.holder.pid}); if no snapshot operation is running, remove ${breaker}`,
      );
    }
    return;
  }
  try {
    const again = await readLock(file);
    if (again.kind === 'held' && again.holder.nonce === judged.nonce) {
      const aside = `${file}.stale-${self.nonce}`;
      await rename(file, aside);
      await rm(aside, { force: true });
    }
  } finally {
    await rm(breaker, { force: true });
  }
}

export interface StoreLockOptions {
  /**
   * How long to wait for the holder to finish before giving up with `busy`; 0 refuses at once.
   * An operator's restore waits its turn instead of failing because a scheduled check runs.
   */
  waitMs?: number;
  /** Told who holds the store each time the holder changes while this one waits. */
  onWaiting?: (holder: LockHolder) => void;
  /**
   * A scheduled operation that gives way: an operation in this process that would wait for it
   * aborts it instead, and the scheduler runs it again on a later tick.
   */
  yieldable?: AbortController;
}

/**
 * How long an operation waits for the one before it: longer than any scheduled verify, check or
 * retention runs on a store this machine can hold, short enough that a stuck holder is reported.
 */
export const STORE_WAIT_MS = 15 * 60_000;

/** "offsite-check repo (pid 12, since 16:10:01 UTC)": what a waiting operation shows. */
export function describeHolder(holder: LockHolder): string {
  const since = holder.startedAt.slice(11, 19);
  const where = holder.host === hostname() ? `pid ${holder.pid}` : `pid ${holder.pid} on ${holder.host}`;
  return `waiting for ${holder.operation} (${where}, since ${since} UTC) to finish`;
}

/** Why a scheduled operation stopped: an operator's operation needed the store. */
export class YieldedError extends Error {
  constructor(readonly to: string) {
    super(`gave way to ${to}; it runs again on a later tick`);
    this.name = 'YieldedError';
  }
}

/** Held in this process, by lock file: who holds it and, for scheduled work, how to make it give way. */
const heldHere = new Map<string, { holder: LockHolder; yieldable: AbortController | null }>();

/** Operations of this process waiting for each store; past `MAX_WAITERS` the next is refused at once. */
const waitersHere = new Map<string, number>();
const MAX_WAITERS = 8;

/** Between two looks at a lock held by another process; in-process holders wake waiters at once. */
const LOCK_POLL_MS = 100;
const releasedHere = new Set<() => void>();

function untilReleasedOrPoll(): Promise<void> {
  return new Promise((resolve) => {
    const wake = () => {
      clearTimeout(timer);
      releasedHere.delete(wake);
      resolve();
    };
    const timer = setTimeout(wake, LOCK_POLL_MS);
    releasedHere.add(wake);
  });
}

/**
 * One create, verify, restore or prune at a time per store, whether the worker or the CLI
 * runs it. A lock left by a process that died (kill -9) is taken over, not obeyed forever;
 * a lock that cannot be read counts as held. With `waitMs` the caller waits its turn (a
 * scheduled holder in this process is asked to give way first); without, it is refused.
 */
export async function acquireStoreLock(storeRoot: string, operation: string, options: StoreLockOptions = {}): Promise<StoreLock> {
  const file = path.join(storeRoot, 'lock');
  const holder: LockHolder = {
    pid: process.pid,
    pidStart: processStartTime(process.pid),
    host: hostname(),
    operation,
    startedAt: new Date().toISOString(),
    nonce: randomBytes(12).toString('hex'),
  };
  const deadline = Date.now() + (options.waitMs ?? 0);
  let takeovers = 0;
  let lastSeen: string | null = null;
  let waiting = false;
  try {
    for (;;) {
      if (await linkExclusive(file, JSON.stringify(holder))) {
        heldHere.set(file, { holder, yieldable: options.yieldable ?? null });
        return { holder, release: () => releaseLock(file, holder) };
      }
      const current = await readLock(file);
      if (current.kind === 'absent') {
        if (++takeovers > 5 && Date.now() >= deadline) throw new RecoveryError('busy', 'the snapshot store lock keeps changing hands; try again');
        continue;
      }
      if (current.kind === 'held' && (await isStale(current.holder))) {
        if (++takeovers > 5) throw new RecoveryError('busy', 'the snapshot store lock keeps changing hands; try again');
        await removeStaleLock(file, current.holder, holder);
        continue;
      }
      if (Date.now() >= deadline) throw busy(file, current);
      if (!waiting) {
        // Waiting is for an operator's few operations, not a queue anyone can grow without end.
        const queued = waitersHere.get(file) ?? 0;
        if (queued >= MAX_WAITERS) throw new RecoveryError('busy', `the snapshot store is busy and ${queued} operations already wait for it; try again later`);
        waitersHere.set(file, queued + 1);
        waiting = true;
      }
      if (current.kind === 'held') {
        const here = heldHere.get(file);
        if (here?.holder.nonce === current.holder.nonce && here.yieldable && !here.yieldable.signal.aborted) here.yieldable.abort(new YieldedError(operation));
        if (current.holder.nonce !== lastSeen) options.onWaiting?.(current.holder);
        lastSeen = current.holder.nonce;
      }
      await untilReleasedOrPoll();
    }
  } finally {
    if (waiting) waitersHere.set(file, (waitersHere.get(file) ?? 1) - 1);
  }
}

async function releaseLock(file: string, holder: LockHolder): Promise<void> {
  const current = await readLock(file);
  if (current.kind === 'held' && current.holder.nonce === holder.nonce) await rm(file, { force: true });
  if (heldHere.get(file)?.holder.nonce === holder.nonce) heldHere.delete(file);
  for (const wake of [...releasedHere]) wake();
}
