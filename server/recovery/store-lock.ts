import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { readProcStat } from '../exec/proc-stat';
import { linkIfAbsent } from './fs-atomic';
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
  return linkIfAbsent(tmp, file);
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

/**
 * One create, verify, restore or prune at a time per store, whether the worker or the CLI
 * runs it. A lock left by a process that died (kill -9) is taken over, not obeyed forever;
 * a lock that cannot be read counts as held.
 */
export async function acquireStoreLock(storeRoot: string, operation: string): Promise<StoreLock> {
  const file = path.join(storeRoot, 'lock');
  const holder: LockHolder = {
    pid: process.pid,
    pidStart: processStartTime(process.pid),
    host: hostname(),
    operation,
    startedAt: new Date().toISOString(),
    nonce: randomBytes(12).toString('hex'),
  };
  for (let attempt = 0; attempt < 5; attempt++) {
    if (await linkExclusive(file, JSON.stringify(holder))) return { holder, release: () => releaseLock(file, holder) };
    const current = await readLock(file);
    if (current.kind === 'absent') continue;
    if (current.kind === 'unreadable' || !(await isStale(current.holder))) throw busy(file, current);
    await removeStaleLock(file, current.holder, holder);
  }
  throw new RecoveryError('busy', 'the snapshot store lock keeps changing hands; try again');
}

async function releaseLock(file: string, holder: LockHolder): Promise<void> {
  const current = await readLock(file);
  if (current.kind === 'held' && current.holder.nonce === holder.nonce) await rm(file, { force: true });
}
