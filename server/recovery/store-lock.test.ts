import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeTempDir, rejectionOf, spawnTs, type TempDir } from '../test-support';
import { RecoveryError } from './recovery-error';
import { acquireStoreLock, processStartTime, YieldedError, type LockHolder } from './store-lock';

let tmp: TempDir;
beforeEach(() => {
  tmp = makeTempDir('vigil-lock-');
});
afterEach(() => tmp.remove());

const lockFile = () => tmp.join('lock');
const holderWith = (patch: Record<string, unknown>) =>
  JSON.stringify({ pid: process.pid, pidStart: null, host: hostname(), operation: 'restore s', startedAt: '2026-01-01T00:00:00Z', nonce: 'n', ...patch });

describe('store lock', () => {
  it('is exclusive within a process and released only by its holder', async () => {
    const lock = await acquireStoreLock(tmp.path, 'create a');
    expect(await rejectionOf(acquireStoreLock(tmp.path, 'create b'), RecoveryError)).toMatchObject({
      code: 'busy',
      message: expect.stringContaining(`create a by pid ${process.pid}`),
    });
    await lock.release();
    const next = await acquireStoreLock(tmp.path, 'create b');
    await lock.release();
    expect(existsSync(lockFile()), 'a stale release must not remove the next holder').toBe(true);
    await next.release();
    expect(existsSync(lockFile())).toBe(false);
  });

  it('an empty, half-written or foreign lock file counts as held', async () => {
    for (const content of ['', '{"pid": 12', '{"hello":"world"}']) {
      writeFileSync(lockFile(), content);
      expect(await rejectionOf(acquireStoreLock(tmp.path, 'create'), RecoveryError)).toMatchObject({
        code: 'busy',
        message: expect.stringContaining('cannot be read'),
      });
      expect(readFileSync(lockFile(), 'utf8')).toBe(content);
    }
  });

  it('takes over a lock whose pid is dead, or whose pid now belongs to another process', async () => {
    const child = spawn(process.execPath, ['-e', '0']);
    const deadPid = await new Promise<number>((resolve) => child.once('exit', () => resolve(child.pid!)));
    writeFileSync(lockFile(), holderWith({ pid: deadPid }));
    await (await acquireStoreLock(tmp.path, 'after a dead holder')).release();
    writeFileSync(lockFile(), holderWith({ pidStart: 'an earlier process with this pid' }));
    await (await acquireStoreLock(tmp.path, 'after a reused pid')).release();
    writeFileSync(lockFile(), holderWith({ pidStart: processStartTime(process.pid) }));
    expect(await rejectionOf(acquireStoreLock(tmp.path, 'while held'), RecoveryError)).toMatchObject({ code: 'busy' });
  });

  it('never has two holders among real processes contending, crashed holders included', async () => {
    const contenders = Array.from({ length: 4 }, () => spawnTs('server/test-support/store-lock-contender.ts', { args: [tmp.path, '150', '7'] }));
    const results = await Promise.all(contenders.map(async (run) => ({ ...(await run.exited), out: run.stdout(), err: run.stderr() })));
    for (const result of results) {
      expect(result.out, result.err).toBe('acquired 150\n');
      expect(result.code).toBe(0);
    }
    expect(existsSync(path.join(tmp.path, 'holder-marker'))).toBe(false);
  });

  it('a taker that may wait gets the lock when it is released, after being told who held it', async () => {
    const first = await acquireStoreLock(tmp.path, 'restore golden');
    const told: LockHolder[] = [];
    const second = acquireStoreLock(tmp.path, 'offsite-copy s1', { waitMs: 60_000, onWaiting: (holder) => told.push(holder) });
    await vi.waitFor(() => expect(told.map((h) => h.operation)).toEqual(['restore golden']));
    expect(JSON.parse(readFileSync(lockFile(), 'utf8'))).toMatchObject({ operation: 'restore golden' });
    await first.release();
    const lock = await second;
    expect(JSON.parse(readFileSync(lockFile(), 'utf8'))).toMatchObject({ operation: 'offsite-copy s1' });
    await lock.release();
  });

  it('a scheduled holder in this process gives way to a taker that waits; one that does not wait never makes it', async () => {
    const scheduled = new AbortController();
    const held = await acquireStoreLock(tmp.path, 'offsite-check repo', { yieldable: scheduled });
    expect(await rejectionOf(acquireStoreLock(tmp.path, 'create scheduled'), RecoveryError)).toMatchObject({ code: 'busy' });
    expect(scheduled.signal.aborted).toBe(false);
    const operator = acquireStoreLock(tmp.path, 'restore golden', { waitMs: 60_000 });
    await new Promise((resolve) => scheduled.signal.addEventListener('abort', resolve, { once: true }));
    expect(scheduled.signal.reason).toBeInstanceOf(YieldedError);
    expect((scheduled.signal.reason as YieldedError).to).toBe('restore golden');
    await held.release();
    await (await operator).release();
  });

  it('at most 8 operations of this process wait for a store; the next is refused at once, and a freed place is taken again', async () => {
    const held = await acquireStoreLock(tmp.path, 'restore golden');
    const told: string[] = [];
    let waiters = Array.from({ length: 8 }, (_, i) => acquireStoreLock(tmp.path, `create ${i}`, { waitMs: 60_000, onWaiting: () => told.push(`create ${i}`) }));
    await vi.waitFor(() => expect(told).toHaveLength(8));
    expect(await rejectionOf(acquireStoreLock(tmp.path, 'create 8', { waitMs: 60_000 }), RecoveryError)).toMatchObject({
      code: 'busy',
      message: 'the snapshot store is busy and 8 operations already wait for it; try again later',
    });
    await held.release();
    // Each waiter takes its turn, one at a time, and leaves its place.
    for (let served = 0; served < 8; served++) {
      const next = await Promise.race(waiters.map((waiter, i) => waiter.then((lock) => ({ lock, i }))));
      waiters = waiters.filter((_, i) => i !== next.i);
      await next.lock.release();
    }
    await (await acquireStoreLock(tmp.path, 'create 9', { waitMs: 60_000 })).release();
  });

  it('waits for a holder in another process, and refuses with its name once the wait is over', async () => {
    const other = spawn('sleep', ['60']);
    try {
      await new Promise((resolve) => other.once('spawn', resolve));
      writeFileSync(lockFile(), holderWith({ pid: other.pid, pidStart: processStartTime(other.pid!), operation: 'prune store' }));
      const started = performance.now();
      expect(await rejectionOf(acquireStoreLock(tmp.path, 'create', { waitMs: 300 }), RecoveryError)).toMatchObject({
        code: 'busy',
        message: expect.stringContaining(`prune store by pid ${other.pid}`),
      });
      expect(performance.now() - started).toBeGreaterThanOrEqual(300);
      const told: LockHolder[] = [];
      const waiting = acquireStoreLock(tmp.path, 'create', { waitMs: 60_000, onWaiting: (holder) => told.push(holder) });
      await vi.waitFor(() => expect(told).toHaveLength(1));
      other.kill('SIGKILL');
      // Its holder died: the lock is stale, and the waiting taker takes it over.
      const lock = await waiting;
      expect(lock.holder.operation).toBe('create');
      await lock.release();
    } finally {
      other.kill('SIGKILL');
    }
  });
});
