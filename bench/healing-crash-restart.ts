// A crashed supervised process: kill → detected ('down') and kill → serving again.
//
//   npx tsx bench/healing-crash-restart.ts [--repetitions 20]
//
// A demo HTTP service runs as a supervised `process` module (readyUrl on its port) under a real
// HealingEngine over SQLite. Each repetition SIGKILLs it, records when the engine's module list
// says 'down' and polls GET /health every 5 ms until the respawned process (a new pid in the
// body) answers 200. Between repetitions the incident must be resolved and the module up for
// 1.5 s; restartPolicy.resetAfterSeconds is 1 so each kill is a first crash, as after a calm
// period in production (the back-off after repeated crashes is the engine working as meant).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { moduleSchema } from '@/lib/healing/module-schema';
import { demoEnv, freePort, writeDemoFiles } from '../server/drills/demo-service';
import { distribution, intArg, machineInfo, monoMs, parseArgs, roundDist, table, verdict, writeResult } from './lib/common';
import { startBenchEngine } from './lib/bench-engine';
import { addCleanup, runBenchmark, runCleanups } from './lib/run';

const args = parseArgs();
const REPETITIONS = intArg(args, 'repetitions', 20);
const DETECT_TARGET_MS = 1000;
const SERVE_TARGET_MS = 5000;

async function servingPid(port: number): Promise<number | null> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(500) });
    const body = (await response.json()) as { pid?: number };
    return response.status === 200 ? (body.pid ?? null) : null;
  } catch {
    return null;
  }
}

async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 5): Promise<boolean> {
  const deadline = monoMs() + timeoutMs;
  while (monoMs() < deadline) {
    if (await check()) return true;
    await sleep(everyMs);
  }
  return false;
}

async function main(): Promise<void> {
  const machine = machineInfo();
  console.log(`healing-crash-restart: ${REPETITIONS} × SIGKILL of a supervised process; load ${machine.loadAverage.join(' ')}`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-crash-'));
  addCleanup(() => rmSync(dir, { recursive: true, force: true }));
  const files = writeDemoFiles(dir);
  const port = await freePort();
  const definition = moduleSchema.parse({
    name: 'crashy',
    kind: 'process',
    command: [process.execPath, files.service],
    env: demoEnv(port),
    readyUrl: `http://127.0.0.1:${port}/health`,
    intervalSeconds: intArg(args, 'interval-seconds', 30),
    timeoutSeconds: 1,
    restartPolicy: { resetAfterSeconds: intArg(args, 'reset-after-seconds', 1) },
  });
  let downAt: number | null = null;
  const bench = await startBenchEngine({
    dir,
    modules: () => [definition],
    onModules: (list) => {
      if (downAt === null && list[0]?.state === 'down') downAt = monoMs();
    },
  });
  addCleanup(() => bench.close());
  const view = () => bench.engine.list()[0];
  if (!(await waitUntil(async () => view().state === 'up' && (await servingPid(port)) !== null, 20_000, 50)))
    throw new Error(`the demo service did not come up: ${view().message}`);

  const detect: number[] = [];
  const serve: number[] = [];
  const failures: string[] = [];
  for (let i = 0; i < REPETITIONS; i++) {
    const pid = bench.engine.runtime('crashy')?.supervisor?.pid;
    if (!pid) throw new Error(`#${i + 1}: no process to kill (${view().message})`);
    downAt = null;
    const killedAt = monoMs();
    process.kill(pid, 'SIGKILL');
    const served = await waitUntil(async () => {
      const now = await servingPid(port);
      return now !== null && now !== pid;
    }, 15_000);
    const servedAt = monoMs();
    if (downAt === null || !served) {
      failures.push(`#${i + 1}: ${downAt === null ? 'never reported down' : 'not serving after 15 s'} (${view().message})`);
      continue;
    }
    detect.push(downAt - killedAt);
    serve.push(servedAt - killedAt);
    const settled = await waitUntil(() => view().state === 'up' && bench.engine.incidents.openIncidents().length === 0, 10_000, 20);
    if (!settled) failures.push(`#${i + 1}: incident not resolved (${view().message})`);
    await sleep(intArg(args, 'gap-ms', 1500));
  }
  const detectDist = roundDist(distribution(detect), 1);
  const serveDist = roundDist(distribution(serve), 1);
  const pass = {
    detect: detect.length === REPETITIONS && detectDist.max <= DETECT_TARGET_MS,
    serve: serve.length === REPETITIONS && serveDist.max <= SERVE_TARGET_MS,
  };
  console.log(
    table(
      ['metric', 'n', 'p50', 'p95', 'max', 'target', 'verdict'],
      [
        [
          'kill → down',
          detectDist.count,
          `${detectDist.p50} ms`,
          `${detectDist.p95} ms`,
          `${detectDist.max} ms`,
          `≤ ${DETECT_TARGET_MS} ms`,
          verdict(pass.detect),
        ],
        [
          'kill → serving again',
          serveDist.count,
          `${serveDist.p50} ms`,
          `${serveDist.p95} ms`,
          `${serveDist.max} ms`,
          `≤ ${SERVE_TARGET_MS} ms`,
          verdict(pass.serve),
        ],
      ],
    ),
  );
  for (const failure of failures) console.log(`  ${failure}`);
  console.log(`load after: ${machineInfo().loadAverage.join(' ')}`);
  const summaryRows = [
    [
      'healing-crash-restart',
      `kill → down p50 / p95 / max (${detectDist.count}×)`,
      `${detectDist.p50} / ${detectDist.p95} / ${detectDist.max} ms`,
      `≤ ${DETECT_TARGET_MS} ms`,
      verdict(pass.detect),
    ],
    ['', 'kill → serving again p50 / p95 / max', `${serveDist.p50} / ${serveDist.p95} / ${serveDist.max} ms`, `≤ ${SERVE_TARGET_MS} ms`, verdict(pass.serve)],
  ];
  writeResult('healing-crash-restart', {
    summaryRows,
    repetitions: REPETITIONS,
    detectMs: detectDist,
    serveMs: serveDist,
    failures,
    pass,
    loadAfter: machineInfo().loadAverage,
  });
  await runCleanups();
  if (!pass.detect || !pass.serve) process.exitCode = 1;
}

runBenchmark({ name: 'healing-crash-restart', hardLimitMs: 170_000, main });
