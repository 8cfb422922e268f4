import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const WEB_PORT = Number(process.env.E2E_WEB_PORT ?? 3210);
export const WORKER_PORT = Number(process.env.E2E_WORKER_PORT ?? 3211);
export const STATE_FILE = path.join(os.tmpdir(), `vigil-e2e-${WEB_PORT}.json`);
export const ADMIN = { username: 'admin', password: 'e2e admin passphrase' };

/** The directory golden recovery protects in this run: `<dataDir>/<dir>`, named `name` in the config. */
export const SNAPSHOT_SOURCE = {
  name: 'site',
  dir: 'site',
  files: { 'index.html': '<h1>Welcome</h1>\n', 'conf/app.conf': 'listen 8080\nworkers 4\n', 'robots.txt': 'User-agent: *\n' },
} as const;

/** Modules the run's config declares: a supervised HTTP service and a TCP check of its port. */
export const E2E_MODULES = { process: 'echo', tcp: 'echo-port' } as const;

export interface ConsoleState {
  dataDir: string;
  launcherPid: number;
  logFile: string;
  setupUrl: string;
}

export function consoleState(): ConsoleState {
  if (!existsSync(STATE_FILE)) throw new Error('e2e: the console was not started by the global set-up');
  return JSON.parse(readFileSync(STATE_FILE, 'utf8')) as ConsoleState;
}

export function snapshotSourceDir(): string {
  return path.join(consoleState().dataDir, SNAPSHOT_SOURCE.dir);
}

export function workerPid(): number {
  const { dataDir } = consoleState();
  return Number(readFileSync(path.join(dataDir, 'worker.pid'), 'utf8'));
}

/** Where a spec saves screenshots of the states it reaches, for a visual review; unset: none are taken. */
export const SCREENSHOT_DIR = process.env.E2E_SCREENSHOTS || null;
