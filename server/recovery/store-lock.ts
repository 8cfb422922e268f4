import { open, readFile, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { RecoveryError } from './recovery-error';
import { isProcessAlive } from '../exec/process-alive';

export interface LockHolder {
  pid: number;
  host: string;
  operation: string;
  startedAt: string;
}

export interface StoreLock {
  holder: LockHolder;
  release(): Promise<void>;
}

/**
 * One create, verify, restore or prune at a time per store, whether the worker or the CLI
 * runs it. A lock left by a process that died (kill -9) is taken over, not obeyed forever.
 */
export async function acquireStoreLock(storeRoot: string, operation: string): Promise<StoreLock> {
  const file = path.join(storeRoot, 'lock');
  const holder: LockHolder = { pid: process.pid, host: hostname(), operation, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(file, 'wx', 0o640);
      await handle.writeFile(JSON.stringify(holder));
      await handle.sync();
      await handle.close();
      return { holder, release: () => rm(file, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const current = await readHolder(file);
    if (current && current.host === holder.host && isProcessAlive(current.pid)) {
      throw new RecoveryError('busy', `the snapshot store is busy: ${current.operation} by pid ${current.pid} since ${current.startedAt}`);
    }
    await rm(file, { force: true });
  }
  throw new RecoveryError('busy', 'the snapshot store lock keeps changing hands; try again');
}

async function readHolder(file: string): Promise<LockHolder | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as LockHolder;
  } catch {
    return null;
  }
}
