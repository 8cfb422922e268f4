import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { STATE_FILE, WEB_PORT, WORKER_PORT, type ConsoleState } from './console';

/**
 * Starts the console exactly as a user does (`npm start`'s launcher) on a fresh data
 * directory, without VIGIL_ADMIN_PASSWORD, so the first-run set-up link is exercised.
 */
export default async function globalSetup(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vigil-e2e-'));
  const logFile = path.join(dataDir, 'launcher.log');
  const out = openSync(logFile, 'a');
  const env: NodeJS.ProcessEnv = { ...process.env, VIGIL_DATA_DIR: dataDir, PORT: String(WEB_PORT), WORKER_PORT: String(WORKER_PORT), VIGIL_SAMPLE_INTERVAL_MS: '1000', LOG_LEVEL: 'info',
    // Loopback is not a proxy in this run, so a forged X-Forwarded-For from the browser must be ignored.
    VIGIL_TRUSTED_PROXIES: '192.0.2.1/32' };
  delete env.VIGIL_ADMIN_PASSWORD;
  delete env.DATABASE_URL;
  const launcher = spawn(process.execPath, ['scripts/start.mjs'], { cwd: process.cwd(), env, stdio: ['ignore', out, out], detached: true });
  launcher.unref();

  // A fresh clone builds the web app first: allow for it.
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    const log = readFileSync(logFile, 'utf8');
    const setup = /(http:\/\/\S+\/setup\?token=\S+)/.exec(log);
    if (log.includes('Vigil is running') && setup) {
      const state: ConsoleState = { dataDir, launcherPid: launcher.pid!, logFile, setupUrl: setup[1].replace('localhost', '127.0.0.1') };
      writeFileSync(STATE_FILE, JSON.stringify(state));
      return;
    }
    if (launcher.exitCode !== null || Date.now() > deadline) {
      throw new Error(`e2e: the console did not start (exit ${launcher.exitCode}):\n${log.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}
