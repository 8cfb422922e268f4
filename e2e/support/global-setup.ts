import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { E2E_MODULES, SNAPSHOT_SOURCE, STATE_FILE, WEB_PORT, WORKER_PORT, type ConsoleState } from './console';

/**
 * A tiny HTTP service for the worker to supervise. It exits once its parent (the worker) is
 * gone, so a worker killed by a test does not leave it holding the port for the next one.
 */
const ECHO_SERVICE = `const http = require('node:http');
const parent = process.ppid;
http.createServer((req, res) => res.end('ok')).listen(Number(process.env.PORT), '127.0.0.1', () => console.log('echo listening on ' + process.env.PORT));
setInterval(() => { try { process.kill(parent, 0); } catch { process.exit(0); } }, 500);
`;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function moduleConfig(dataDir: string): Promise<string> {
  const script = path.join(dataDir, 'echo-service.cjs');
  writeFileSync(script, ECHO_SERVICE);
  const port = await freePort();
  return [
    'modules:',
    `  - name: ${E2E_MODULES.process}`,
    '    kind: process',
    `    command: ${JSON.stringify([process.execPath, script])}`,
    `    env: { PORT: "${port}" }`,
    `    readyUrl: http://127.0.0.1:${port}/health`,
    '    intervalSeconds: 1',
    `  - { name: ${E2E_MODULES.tcp}, kind: tcp, host: 127.0.0.1, port: ${port}, intervalSeconds: 2, dependsOn: [${E2E_MODULES.process}] }`,
    // A public status page that publishes both modules under labels only.
    `statusPages: [{ slug: e2e, title: "E2E services", modules: [{ module: ${E2E_MODULES.process}, label: "Web service" }, { module: ${E2E_MODULES.tcp}, label: "Port check" }] }]`,
    '',
  ].join('\n');
}

/** The run's own config file: a small site for golden recovery to protect, and the modules above. */
async function writeRunConfig(dataDir: string): Promise<string> {
  const site = path.join(dataDir, SNAPSHOT_SOURCE.dir);
  mkdirSync(path.join(site, 'conf'), { recursive: true });
  for (const [rel, content] of Object.entries(SNAPSHOT_SOURCE.files)) writeFileSync(path.join(site, rel), content);
  const configFile = path.join(dataDir, 'vigil.config.yaml');
  // Forecast every 5 s (the schema's floor) instead of 30, so the risk panel moves within a test's patience.
  writeFileSync(
    configFile,
    `forecast:\n  cycleSeconds: 5\nsnapshots:\n  sources:\n    - name: ${SNAPSHOT_SOURCE.name}\n      path: ${JSON.stringify(site)}\n${await moduleConfig(dataDir)}`,
  );
  return configFile;
}

/**
 * Starts the console exactly as a user does (`npm start`'s launcher) on a fresh data
 * directory, without VIGIL_ADMIN_PASSWORD, so the first-run set-up link is exercised.
 */
export default async function globalSetup(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vigil-e2e-'));
  const logFile = path.join(dataDir, 'launcher.log');
  const configFile = await writeRunConfig(dataDir);
  const out = openSync(logFile, 'a');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    VIGIL_DATA_DIR: dataDir,
    PORT: String(WEB_PORT),
    WORKER_PORT: String(WORKER_PORT),
    VIGIL_SAMPLE_INTERVAL_MS: '1000',
    LOG_LEVEL: 'info',
    // Loopback is not a proxy in this run, so a forged X-Forwarded-For from the browser must be ignored.
    VIGIL_TRUSTED_PROXIES: '192.0.2.1/32',
    VIGIL_CONFIG: configFile,
  };
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
