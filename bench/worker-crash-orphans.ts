// A worker killed with SIGKILL while it supervises an HTTP service: how long after the next
// worker answers /healthz does the service answer again from a process that worker started?
//
//   npx tsx bench/worker-crash-orphans.ts [--repetitions 5]
//
// Each repetition: a fresh SQLite data directory and config file with one `process` module (a
// Node HTTP server listening with `exclusive`, answering its pid); the worker process as the
// launcher starts it; SIGKILL once the service answers; a new worker on the same data. Measured
// per repetition, polling every 10 ms: new worker's first /healthz → service answers from a new
// pid, and kill → that. The orphan must be gone by then (checked through /proc).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { readProcStat } from '@/server/healing/process-group';
import { createEmptyDatabase } from '@/server/test-support/databases';
import { findFreePort, waitForHttp } from '@/server/test-support/http';
import { workerEnvVars } from '@/server/test-support/worker-env';
import { distribution, intArg, parseArgs, roundDist } from './lib/common';

const REPETITIONS = intArg(parseArgs(), 'repetitions', 5);

const SERVICE = `
const port = Number(process.env.SERVICE_PORT);
require('http').createServer((req, res) => res.end(String(process.pid))).listen({ port, host: '127.0.0.1', exclusive: true });
`;

async function servedBy(port: number): Promise<number | null> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1000) });
    return Number(await response.text());
  } catch {
    return null;
  }
}

async function pollUntil<T>(check: () => Promise<T | null>, limitMs: number): Promise<T | null> {
  const deadline = performance.now() + limitMs;
  while (performance.now() < deadline) {
    const value = await check();
    if (value !== null) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return null;
}

async function repetition(): Promise<{ backToServingMs: number | null; killToServingMs: number | null; orphanLeft: boolean }> {
  const db = await createEmptyDatabase('sqlite');
  const servicePort = await findFreePort();
  writeFileSync(db.dir.join('service.js'), SERVICE);
  const configFile = db.dir.join('vigil.config.yaml');
  writeFileSync(
    configFile,
    `modules:\n  - { name: web, kind: process, command: ["${process.execPath}", "${db.dir.join('service.js')}"], env: { SERVICE_PORT: "${servicePort}" }, readyUrl: "http://127.0.0.1:${servicePort}/", intervalSeconds: 1 }\n`,
  );
  const startWorker = async () => {
    const port = await findFreePort();
    const env = workerEnvVars({
      dataDir: db.dir.join('data'),
      databaseUrl: db.url,
      vars: { VIGIL_CONFIG: configFile, WORKER_PORT: String(port), LOG_LEVEL: 'warn' },
    });
    // As the launcher starts it; stdio ignored so a full pipe never stalls it.
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { env: { ...process.env, ...env }, stdio: 'ignore' });
    const exited = once(child, 'exit');
    // Generous: on a loaded machine a cold start takes tens of seconds; what is measured starts after it.
    await waitForHttp(port, { timeoutMs: 120_000, isAlive: () => child.exitCode === null && child.signalCode === null });
    return { kill: (signal: NodeJS.Signals) => child.kill(signal), exited };
  };
  const first = await startWorker();
  const orphan = await pollUntil(() => servedBy(servicePort), 30_000);
  if (orphan === null) throw new Error('the supervised service never answered');
  first.kill('SIGKILL');
  await first.exited;
  const killedAt = performance.now();
  const second = await startWorker();
  const backAt = performance.now();
  const respawned = await pollUntil(async () => {
    const pid = await servedBy(servicePort);
    return pid !== null && pid !== orphan ? pid : null;
  }, 30_000);
  const servingAt = performance.now();
  const stat = readProcStat(orphan);
  const orphanLeft = stat !== null && stat.state !== 'Z';
  second.kill('SIGTERM');
  await second.exited;
  if (orphanLeft) process.kill(orphan, 'SIGKILL');
  await db.destroy();
  return respawned === null
    ? { backToServingMs: null, killToServingMs: null, orphanLeft }
    : { backToServingMs: servingAt - backAt, killToServingMs: servingAt - killedAt, orphanLeft };
}

async function main(): Promise<void> {
  const loadBefore = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const runs = [];
  for (let i = 0; i < REPETITIONS; i++) {
    const run = await repetition();
    console.log(`repetition ${i + 1}: ${JSON.stringify(run)}`);
    runs.push(run);
  }
  const served = runs.filter((run) => run.backToServingMs !== null);
  console.log(
    JSON.stringify({
      repetitions: REPETITIONS,
      servedAgain: served.length,
      orphansLeft: runs.filter((run) => run.orphanLeft).length,
      backToServingMs: served.length ? roundDist(distribution(served.map((run) => run.backToServingMs!))) : null,
      killToServingMs: served.length ? roundDist(distribution(served.map((run) => run.killToServingMs!))) : null,
      loadBefore,
      loadAfter: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
    }),
  );
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
