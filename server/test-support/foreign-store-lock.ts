import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { processStartTime } from '../recovery/store-lock';

/**
 * The snapshot store's lock as another live process (`pid`) leaves it while `operation` runs:
 * what a CLI prune beside the worker looks like to a taker. Its nonce marks it as the test's own.
 */
export function writeForeignStoreLock(storeRoot: string, pid: number, operation: string): string {
  const file = path.join(storeRoot, 'lock');
  const holder = { pid, pidStart: processStartTime(pid), host: hostname(), operation, startedAt: new Date().toISOString(), nonce: FOREIGN_LOCK_NONCE };
  writeFileSync(file, JSON.stringify(holder));
  return file;
}

export const FOREIGN_LOCK_NONCE = 'foreign-test-holder';
