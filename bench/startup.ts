// Start-up: how long a user waits for `vigil` and for the worker, compiled (dist/) against
// the TypeScript sources through tsx, in one run so both see the same machine load.
//
//   npx tsx bench/startup.ts [--runs 10] [--idle-seconds 10]
//
// Wall time per run, spawn to exit, of: `node -e 0` (the floor), `vigil snapshot list` from
// dist/, through tsx, and as `npx vigil`; restic's `restic snapshots` on an empty local
// repository when restic is installed. Then the worker: compiled as the launcher runs it (its
// node flags and environment, scripts/lib/worker-runtime.mjs), compiled with none of them, and
// through tsx: spawn until GET /healthz answers, and VmRSS (with its anonymous and file-backed
// parts) after it idled --idle-seconds, next to an idle bare `node` started at the same moment
// (the floor). Runs alternate between the variants so load drifts hit all alike. One SQLite
// data dir, migrated by a warm-up run. Targets: `vigil snapshot list` ≤ 300 ms, worker ready
// ≤ 1.5 s, idle worker ≤ 80 MB (decimal: 76.3 MiB).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO_ROOT, distribution, intArg, machineInfo, monoMs, parseArgs, round, table, verdict, writeResult } from './lib/common';
import { addCleanup, runBenchmark } from './lib/run';
import { cleanEnv, freePort, healthz, stop } from './lib/worker-process';
// @ts-expect-error -- a plain ES module of the launcher, without type declarations
import { bundleEntry, ensureBundle } from '../scripts/lib/bundle.mjs';
// @ts-expect-error -- a plain ES module of the launcher, without type declarations
import { workerArgs, workerEnv } from '../scripts/lib/worker-runtime.mjs';

const args = parseArgs();
const RUNS = intArg(args, 'runs', 10);
const IDLE_SECONDS = intArg(args, 'idle-seconds', 10);

interface Row {
  what: string;
  unit: 'ms' | 'MiB';
  values: number[];
  /** The target, in the row's unit, when this row is one of the three that have one. */
  target?: number;
}

const TARGET_CLI_MS = 300;
const TARGET_READY_MS = 1500;
const TARGET_RSS_MIB = 80e6 / 2 ** 20;

interface Memory {
  rssMiB: number;
  anonMiB: number;
  fileMiB: number;
  /** Proportional set size: pages shared with other processes (node's own code) count by share. */
  pssMiB: number;
}

const loadavg = () => readFileSync('/proc/loadavg', 'utf8').trim();
const p90 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil(0.9 * values.length) - 1)];

function timeCommand(command: string, commandArgs: string[], env: NodeJS.ProcessEnv): number {
  const started = monoMs();
  const result = spawnSync(command, commandArgs, { cwd: REPO_ROOT, env, encoding: 'utf8' });
  const elapsed = monoMs() - started;
  if (result.status !== 0) throw new Error(`${command} ${commandArgs.join(' ')} exited ${result.status}: ${result.stderr}`);
  return elapsed;
}

function hasRestic(): boolean {
  return spawnSync('restic', ['version'], { encoding: 'utf8' }).status === 0;
}

function memoryOf(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const mib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1]) / 1024;
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const pssMiB = Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1]) / 1024;
  return { rssMiB: mib('VmRSS'), anonMiB: mib('RssAnon'), fileMiB: mib('RssFile'), pssMiB };
}

async function workerRun(entry: string[], env: NodeJS.ProcessEnv): Promise<{ readyMs: number; worker: Memory; bareNode: Memory }> {
  const port = await freePort();
  const started = monoMs();
  const child = spawn(process.execPath, entry, { cwd: REPO_ROOT, env: { ...env, WORKER_PORT: String(port) }, stdio: 'ignore' });
  const undo = addCleanup(() => stop(child));
  // The floor for memory: node itself, idling as long, measured at the same moment.
  const bare = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  const undoBare = addCleanup(() => stop(bare));
  try {
    while ((await healthz(port)) !== 200) {
      if (child.exitCode !== null) throw new Error(`worker ${entry.join(' ')} exited ${child.exitCode} before /healthz answered`);
      if (monoMs() - started > 45_000) throw new Error('worker did not answer /healthz within 45 s');
      await sleep(5);
    }
    const readyMs = monoMs() - started;
    await sleep(IDLE_SECONDS * 1000);
    return { readyMs, worker: memoryOf(child.pid!), bareNode: memoryOf(bare.pid!) };
  } finally {
    await Promise.all([stop(child), stop(bare)]);
    undo();
    undoBare();
  }
}

async function main(): Promise<void> {
  const machine = machineInfo();
  console.log(`startup: ${RUNS} runs each; machine ${machine.cpus} CPU (${machine.cpuModel}), ${machine.memoryGiB} GiB, node ${machine.node}`);
  console.log(`loadavg before: ${loadavg()}`);
  await ensureBundle(REPO_ROOT);

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-startup-'));
  addCleanup(() => rmSync(dataDir, { recursive: true, force: true }));
  const env = cleanEnv({ VIGIL_DATA_DIR: dataDir, VIGIL_CONFIG: path.join(dataDir, 'vigil.config.yaml'), WORKER_HOST: '127.0.0.1', LOG_LEVEL: 'warn' });
  const resticRepo = path.join(dataDir, 'restic');
  const resticEnv = { ...env, RESTIC_PASSWORD: 'bench', RESTIC_CACHE_DIR: path.join(dataDir, 'restic-cache') };
  const restic = hasRestic();
  if (restic) timeCommand('restic', ['init', '--repo', resticRepo], resticEnv);

  const commands: Array<{ what: string; run: () => number }> = [
    { what: 'node -e 0 (the floor)', run: () => timeCommand(process.execPath, ['-e', '0'], env) },
    { what: 'node scripts/vigil.mjs snapshot list (dist/)', run: () => timeCommand(process.execPath, ['scripts/vigil.mjs', 'snapshot', 'list'], env) },
    {
      what: 'node --import tsx server/cli/main.ts snapshot list (before)',
      run: () => timeCommand(process.execPath, ['--import', 'tsx', 'server/cli/main.ts', 'snapshot', 'list'], env),
    },
    { what: 'npx vigil snapshot list', run: () => timeCommand('npx', ['vigil', 'snapshot', 'list'], env) },
    ...(restic
      ? [{ what: 'restic snapshots (empty local repository)', run: () => timeCommand('restic', ['snapshots', '--repo', resticRepo], resticEnv) }]
      : []),
  ];
  // Warm-up: migrates the data dir and fills the page cache, for every variant alike.
  for (const command of commands) command.run();
  const rows: Row[] = commands.map((c) => ({
    what: c.what,
    unit: 'ms',
    values: [],
    ...(c.what.startsWith('node scripts/vigil.mjs') ? { target: TARGET_CLI_MS } : {}),
  }));
  for (let i = 0; i < RUNS; i++) commands.forEach((command, k) => rows[k].values.push(command.run()));

  const workers = [
    { what: 'worker from dist/ as the launcher runs it', entry: workerArgs(REPO_ROOT) as string[], env: workerEnv(env) as NodeJS.ProcessEnv, targets: true },
    { what: 'worker from dist/, no launcher flags (before)', entry: [bundleEntry(REPO_ROOT, 'worker')], env, targets: false },
    { what: 'worker through tsx (before)', entry: ['--import', 'tsx', 'server/main.ts'], env, targets: false },
  ];
  const ready = workers.map((w): Row => ({ what: `${w.what}: spawn → /healthz`, unit: 'ms', values: [], ...(w.targets ? { target: TARGET_READY_MS } : {}) }));
  const rss = workers.map((w): Row => ({
    what: `${w.what}: VmRSS after ${IDLE_SECONDS} s idle`,
    unit: 'MiB',
    values: [],
    ...(w.targets ? { target: TARGET_RSS_MIB } : {}),
  }));
  const launched = {
    anon: { what: '  of which anonymous (heap, code, malloc)', unit: 'MiB', values: [] } as Row,
    file: { what: '  of which file-backed (node binary, libraries)', unit: 'MiB', values: [] } as Row,
    pss: { what: '  PSS (shared pages by share)', unit: 'MiB', values: [] } as Row,
  };
  const bareNode = { what: `bare node idle ${IDLE_SECONDS} s alongside (the floor): VmRSS`, unit: 'MiB', values: [] } as Row;
  for (let i = 0; i < RUNS; i++) {
    for (const [k, worker] of workers.entries()) {
      const run = await workerRun(worker.entry, worker.env);
      ready[k].values.push(run.readyMs);
      rss[k].values.push(run.worker.rssMiB);
      bareNode.values.push(run.bareNode.rssMiB);
      if (worker.targets) {
        launched.anon.values.push(run.worker.anonMiB);
        launched.file.values.push(run.worker.fileMiB);
        launched.pss.values.push(run.worker.pssMiB);
      }
    }
  }

  const all = [...rows, ...ready, rss[0], launched.anon, launched.file, launched.pss, ...rss.slice(1), bareNode];
  const after = loadavg();
  const fmt = (r: Row, v: number) => `${round(v, r.unit === 'ms' ? 0 : 1)} ${r.unit}`;
  const target = (r: Row) => (r.target === undefined ? '' : `≤ ${fmt(r, r.target)}: ${verdict(distribution(r.values).p50 <= r.target)}`);
  console.log(
    table(
      ['what', 'median', 'p90', 'min', 'max', 'target (median)'],
      all.map((r) => [r.what, ...[distribution(r.values).p50, p90(r.values), Math.min(...r.values), Math.max(...r.values)].map((v) => fmt(r, v)), target(r)]),
    ),
  );
  if (!restic) console.log('restic: not installed');
  console.log(`loadavg after: ${after}`);
  const file = writeResult('startup', {
    runs: RUNS,
    idleSeconds: IDLE_SECONDS,
    loadavgAfter: after,
    restic,
    results: all.map((r) => ({ what: r.what, unit: r.unit, median: distribution(r.values).p50, p90: p90(r.values), target: r.target, values: r.values })),
  });
  console.log(`written to ${file}`);
}

runBenchmark({ name: 'startup', hardLimitMs: 900_000, main });
