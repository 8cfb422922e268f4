#!/usr/bin/env node
// `npm start`: prepares the data directory and database, builds the web app when
// needed, then runs the worker and the web app and restarts either one if it exits.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { formatLogLine } from './lib/log-format.mjs';
import { buildFingerprint } from './lib/build-fingerprint.mjs';
import { bundleEntry, ensureBundle } from './lib/bundle.mjs';
import { linkCli } from './lib/cli-link.mjs';
import { keepNewFilesPrivate, makeDataPrivate } from './lib/private-files.mjs';
import { workerArgs, workerEnv } from './lib/worker-runtime.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// libuv's 4 threads would cap a restore at 4 fsyncs in flight; ext4 commits concurrent ones together.
// Next.js reports usage to its makers unless told not to: a self-hosted console calls no one home.
const env = { UV_THREADPOOL_SIZE: '16', NEXT_TELEMETRY_DISABLED: '1', ...process.env, NODE_ENV: 'production' };
const webPort = Number(env.PORT ?? 3000);
const workerPort = Number(env.WORKER_PORT ?? 3001);
const say = (message) => process.stdout.write(`vigil: ${message}\n`);
const fail = (message) => {
  process.stderr.write(`vigil: ${message}\n`);
  process.exit(1);
};

function runStep(args, label) {
  const result = spawnSync(process.execPath, args, { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) fail(`${label} failed:\n${result.stderr || result.stdout}`);
  return result.stdout;
}

function ensurePrismaClients() {
  if (existsSync(join(root, 'node_modules/@vigil/prisma-sqlite/index.js')) && existsSync(join(root, 'node_modules/@vigil/prisma-postgres/index.js'))) return;
  say('generating the database clients…');
  runStep([join(root, 'scripts/prisma-generate.mjs')], 'generating the database clients');
}

async function ensureCompiled() {
  try {
    if (await ensureBundle(root)) say('compiled the worker and the CLI (first start or changed sources)');
  } catch (error) {
    fail(`the worker did not compile:\n${error.message}`);
  }
}

function bootstrap() {
  const result = spawnSync(process.execPath, [bundleEntry(root, 'bootstrap')], { cwd: root, env, encoding: 'utf8' });
  const line = result.stdout.trim().split('\n').pop() ?? '';
  let parsed;
  try {
    parsed = JSON.parse(line);
  } catch {
    fail(`could not prepare the database:\n${result.stderr || result.stdout}`);
  }
  if (!parsed.ok) fail(parsed.message);
  return parsed;
}

function ensureBuild() {
  const marker = join(root, '.next', 'vigil-build-fingerprint');
  const fingerprint = buildFingerprint(root);
  if (existsSync(join(root, '.next', 'BUILD_ID')) && existsSync(marker) && readFileSync(marker, 'utf8') === fingerprint) return;
  say('building the web app (first start or changed sources; this takes a minute)…');
  const result = spawnSync(process.execPath, [join(root, 'node_modules/next/dist/bin/next'), 'build'], {
    cwd: root,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) fail('the web app did not build; see the output above');
  writeFileSync(marker, fingerprint);
}

function assertPortFree(port, variable) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (error) => {
      if (error.code === 'EADDRINUSE') fail(`port ${port} is already in use (${variable}); stop the process that holds it or set ${variable} to a free port`);
      if (error.code === 'EACCES') fail(`no permission to listen on port ${port} (${variable}); choose a port above 1023`);
      fail(`cannot listen on port ${port} (${variable}): ${error.message}`);
    });
    probe.listen(port, () => probe.close(() => resolve()));
  });
}

async function waitFor(url, timeoutMs) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(2000) });
      if (response.status < 500) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

/** Keeps one child running; restarts it with back-off, and gives up only if it never started. */
class Supervised {
  constructor(name, args, readyUrl, childEnv = env) {
    Object.assign(this, { name, args, readyUrl, childEnv, child: null, everReady: false, delay: 1000, stopping: false, startedAt: 0 });
  }

  start() {
    this.startedAt = Date.now();
    const child = spawn(process.execPath, this.args, { cwd: root, env: this.childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const prefix = `[${this.name}]`;
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => process.stdout.write(`${formatLogLine(prefix, line)}\n`));
    }
    writeState();
    child.on('exit', (code, signal) => {
      this.child = null;
      if (this.stopping) return;
      if (!this.everReady) fail(`the ${this.name} stopped during start (${signal ?? `exit ${code}`}); see its output above`);
      if (Date.now() - this.startedAt > 60_000) this.delay = 1000;
      say(`the ${this.name} exited (${signal ?? `exit ${code}`}); restarting in ${this.delay / 1000}s`);
      setTimeout(() => this.start(), this.delay);
      this.delay = Math.min(this.delay * 2, 30_000);
    });
  }

  async ready(timeoutMs) {
    this.everReady = await waitFor(this.readyUrl, timeoutMs);
    return this.everReady;
  }

  stop() {
    this.stopping = true;
    if (!this.child) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.child?.kill('SIGKILL'), 10_000);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      this.child.kill('SIGTERM');
    });
  }
}

let processes = [];
let stateFile = null;
function writeState() {
  if (!stateFile) return;
  writeFileSync(stateFile, JSON.stringify({ launcher: process.pid, children: Object.fromEntries(processes.map((p) => [p.name, p.child?.pid ?? null])) }));
}

async function main() {
  ensurePrismaClients();
  // `npx vigil` next to the console it manages, also in a checkout installed before the link existed.
  linkCli(root);
  await ensureCompiled();
  // Before the data is touched: bootstrap, the worker and the web app inherit it, so every file they make is owner-only.
  keepNewFilesPrivate();
  const prepared = bootstrap();
  mkdirSync(prepared.dataDir, { recursive: true });
  makeDataPrivate({ dataDir: prepared.dataDir, sqlitePath: prepared.sqlitePath });
  stateFile = join(prepared.dataDir, 'launcher.json');
  ensureBuild();
  await assertPortFree(workerPort, 'WORKER_PORT');
  await assertPortFree(webPort, 'PORT');

  const worker = new Supervised('worker', workerArgs(root), `http://127.0.0.1:${workerPort}/healthz`, workerEnv(env));
  const web = new Supervised('web', [join(root, 'scripts/web-server.mjs')], `http://127.0.0.1:${webPort}/login`);
  processes = [worker, web];
  worker.start();
  if (!(await worker.ready(60_000))) fail('the worker did not answer on /healthz within 60 s');
  web.start();
  if (!(await web.ready(60_000))) fail('the web app did not answer within 60 s');

  const base = env.VIGIL_PUBLIC_URL ?? `http://localhost:${webPort}`;
  const lines = ['', 'Vigil is running.', `  Console   ${base}`];
  if (prepared.admin.state === 'setup') {
    lines.push(
      `  Sign in   no administrator yet: open this one-time link to create one (valid 24 h):`,
      `            ${base}/setup?token=${prepared.admin.token}`,
    );
  } else if (prepared.admin.state === 'created') {
    lines.push(`  Sign in   as "${prepared.admin.username}" with the password in VIGIL_ADMIN_PASSWORD`);
  } else {
    lines.push('  Sign in   with your account');
  }
  lines.push(
    `  Worker    http://localhost:${workerPort}/healthz`,
    `  Data      ${prepared.dataDir} (${prepared.database === 'sqlite' ? 'SQLite' : 'PostgreSQL'})`,
    '  Stop      Ctrl+C',
    '',
  );
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const shutdown = async (signal) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping…`);
    await Promise.all(processes.map((p) => p.stop()));
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error) => fail(error.stack ?? String(error)));
