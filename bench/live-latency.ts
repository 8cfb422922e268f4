// Emit → receipt latency of live dashboard events through the real worker's socket.io server.
//
//   npx tsx bench/live-latency.ts [--mode both|child|inprocess] [--clients 20] [--emits 500] [--rate 50]
//
// Starts a real worker in this process (startWorker, temp SQLite data dir, WORKER_PORT=0,
// LOG_LEVEL=silent), connects N socket.io clients with valid live tokens, then emits
// `health:sample` through worker.live.emitHealth (the production emit path) at a fixed rate.
// Each snapshot is a real one from the monitor with sample.at set to the send time and a
// `bench` stamp holding the send time on CLOCK_MONOTONIC (process.hrtime; system-wide on Linux,
// so exact across processes) and on the wall clock (performance.timeOrigin + performance.now()).
//
// Modes:
//   child     the clients run in a separate process (bench/live-clients.ts): worker and clients
//             do not share an event loop, as with real browsers. This is the headline number.
//   inprocess the clients share the worker's event loop: receipt waits behind the emit loop,
//             so this measures worst-case scheduling rather than the network path.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadWorkerEnv } from '@/server/env/worker-env';
import { startWorker, type Worker } from '@/server/worker';
import { openLiveSession } from '@/server/test-support/live-token';
import type { HealthSnapshot } from '@/lib/health/types';
import {
  BENCH_DIR,
  REPO_ROOT,
  distribution,
  fmtInt,
  intArg,
  machineInfo,
  monoMs,
  parseArgs,
  roundDist,
  table,
  verdict,
  withTimeout,
  writeResult,
  type Distribution,
} from './lib/common';
import type { BenchStamp, ChildToParent, ParentToChild } from './lib/live-protocol';
import { addCleanup, runBenchmark, runCleanups } from './lib/run';
import { connectStampedClients } from './lib/stamped-clients';

const args = parseArgs();
const MODE = args.get('mode') ?? 'both';
const CLIENTS = intArg(args, 'clients', 20);
const EMITS = intArg(args, 'emits', 500);
const RATE = intArg(args, 'rate', 50);
const WARMUP = intArg(args, 'warmup', 25);
const TARGET_P99_MS = 50;

interface ModeResult {
  mode: 'child' | 'inprocess';
  clients: number;
  emits: number;
  ratePerSecond: number;
  expected: number;
  received: number;
  lost: number;
  latencyMs: Distribution;
  /** Same receipts measured with performance.timeOrigin-based wall clocks (cross-check). */
  latencyWallMs: Distribution;
  /** How late the emit loop fired against its schedule (event-loop lag on the worker side). */
  emitLagMs: Distribution;
  targetP99Ms: number;
  pass: boolean;
}

/** One signed-in session per client: the worker accepts a live token only for a session in force. */
async function tokens(worker: Worker, secret: string, n: number): Promise<string[]> {
  return Promise.all(Array.from({ length: n }, async () => (await openLiveSession({ secret, database: worker.database })).token));
}

/** Emits WARMUP + EMITS stamped snapshots at RATE per second; returns how late each emit fired. */
async function emitLoop(worker: Worker): Promise<number[]> {
  const base = worker.monitor.current();
  if (!base) throw new Error('the worker has no health snapshot yet');
  const interval = 1000 / RATE;
  const lag: number[] = [];
  const start = monoMs() + 20;
  for (let i = 0; i < WARMUP + EMITS; i++) {
    const due = start + i * interval;
    const wait = due - monoMs();
    if (wait > 0) await sleep(wait);
    const sentMono = monoMs();
    const bench: BenchStamp = { seq: i, sentMono, sentWall: performance.timeOrigin + performance.now(), warmup: i < WARMUP };
    const snapshot = { ...base, sample: { ...base.sample, at: new Date(bench.sentWall).toISOString() }, bench };
    worker.live.emitHealth(snapshot as HealthSnapshot);
    if (i >= WARMUP) lag.push(Math.max(0, sentMono - due)); // timers may fire up to 1 ms early
  }
  return lag;
}

function summarize(mode: ModeResult['mode'], mono: number[], wall: number[], lag: number[]): ModeResult {
  const expected = CLIENTS * EMITS;
  const latencyMs = roundDist(distribution(mono), 3);
  return {
    mode,
    clients: CLIENTS,
    emits: EMITS,
    ratePerSecond: RATE,
    expected,
    received: mono.length,
    lost: expected - mono.length,
    latencyMs,
    latencyWallMs: roundDist(distribution(wall), 3),
    emitLagMs: roundDist(distribution(lag), 3),
    targetP99Ms: TARGET_P99_MS,
    pass: mono.length === expected && latencyMs.p99 <= TARGET_P99_MS,
  };
}

async function runInProcess(worker: Worker, url: string, secret: string): Promise<ModeResult> {
  const list = await tokens(worker, secret, CLIENTS);
  const mono: number[] = [];
  const wall: number[] = [];
  const clients = connectStampedClients({
    url,
    tokens: list,
    onReceipt: ({ latencyMono, latencyWall }) => {
      mono.push(latencyMono);
      wall.push(latencyWall);
    },
  });
  const closeAll = () => clients.sockets.forEach((s) => s.disconnect());
  const dropCloseAll = addCleanup(closeAll);
  await withTimeout(clients.connected, 15_000, 'connecting the in-process clients');
  const lag = await emitLoop(worker);
  await waitFor(() => mono.length >= CLIENTS * EMITS, 3_000);
  closeAll();
  dropCloseAll();
  return summarize('inprocess', mono, wall, lag);
}

async function runChild(worker: Worker, url: string, secret: string): Promise<ModeResult> {
  const list = await tokens(worker, secret, CLIENTS);
  const child: ChildProcess = fork(path.join(BENCH_DIR, 'live-clients.ts'), [], {
    cwd: REPO_ROOT,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const killChild = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const dropKillChild = addCleanup(killChild);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const next = (type: ChildToParent['type'], ms: number) =>
    withTimeout(
      new Promise<ChildToParent>((resolve, reject) => {
        const onMessage = (m: ChildToParent) => {
          if (m.type === 'error') reject(new Error(`live-clients: ${m.message}`));
          else if (m.type === type) {
            child.off('message', onMessage);
            resolve(m);
          }
        };
        child.on('message', onMessage);
        child.once('exit', (code) => reject(new Error(`live-clients exited early (code ${code})`)));
      }),
      ms,
      `live-clients "${type}"`,
    );

  const ready = next('ready', 30_000);
  child.send({ type: 'start', url, tokens: list } satisfies ParentToChild);
  const r = await ready;
  if (r.type === 'ready' && r.connected !== CLIENTS) throw new Error(`only ${r.connected} of ${CLIENTS} child clients connected`);
  const lag = await emitLoop(worker);
  await sleep(1_000); // in-flight messages
  const resultP = next('result', 15_000);
  child.send({ type: 'finish' } satisfies ParentToChild);
  const result = await resultP;
  await withTimeout(exited, 5_000, 'live-clients exit').catch(killChild);
  dropKillChild();
  if (result.type !== 'result') throw new Error('unexpected message from live-clients');
  if (result.errors.length > 0) console.warn(`live-clients: ${result.errors.join('; ')}`);
  return summarize('child', result.latencyMono, result.latencyWall, lag);
}

async function waitFor(done: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!done() && Date.now() < until) await sleep(10);
}

function print(r: ModeResult): void {
  const l = r.latencyMs;
  const title =
    r.mode === 'child' ? 'clients in a separate process (own event loop, CLOCK_MONOTONIC stamps)' : 'clients in the worker process (shared event loop)';
  console.log(`\n${r.mode}: ${title}`);
  console.log(
    table(
      ['metric', 'value'],
      [
        ['clients × emits', `${r.clients} × ${r.emits} at ${r.ratePerSecond}/s`],
        ['received / expected', `${fmtInt(r.received)} / ${fmtInt(r.expected)} (lost ${r.lost})`],
        ['latency p50 / p95 / p99 / max', `${l.p50} / ${l.p95} / ${l.p99} / ${l.max} ms`],
        ['  same, wall-clock stamps', `${r.latencyWallMs.p50} / ${r.latencyWallMs.p95} / ${r.latencyWallMs.p99} / ${r.latencyWallMs.max} ms`],
        ['emit timer lag p50 / p99 / max', `${r.emitLagMs.p50} / ${r.emitLagMs.p99} / ${r.emitLagMs.max} ms`],
        ['target p99 ≤ 50 ms', verdict(r.pass)],
      ],
    ),
  );
}

async function main(): Promise<void> {
  const m = machineInfo();
  console.log(`live-latency: ${CLIENTS} socket.io clients, ${EMITS} health:sample emits at ${RATE}/s through worker.live.emitHealth (+${WARMUP} warm-up)`);
  console.log(`machine: ${m.cpus} CPU (${m.cpuModel}), ${m.memoryGiB} GiB, node ${m.node}, load ${m.loadAverage.join(' ')}`);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-live-'));
  addCleanup(() => rmSync(dataDir, { recursive: true, force: true }));
  // loadWorkerEnv accepts ports 1-65535 only, so the ephemeral port (0) is set on the parsed env.
  const parsed = loadWorkerEnv({
    VIGIL_DATA_DIR: dataDir,
    WORKER_HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    VIGIL_SECRET: randomBytes(32).toString('base64url'),
  });
  const env = { ...parsed, port: 0 };
  const worker = await startWorker({ env, migrationsDir: path.join(REPO_ROOT, 'prisma', 'migrations') });
  addCleanup(() => worker.close('benchmark done'));
  const url = `http://127.0.0.1:${worker.port}`;
  console.log(`worker listening on ${url} (SQLite in ${dataDir})`);

  const results: ModeResult[] = [];
  const errors: Record<string, string> = {};
  const modes = MODE === 'both' ? (['child', 'inprocess'] as const) : ([MODE] as Array<'child' | 'inprocess'>);
  for (const mode of modes) {
    try {
      const r = mode === 'child' ? await runChild(worker, url, env.secret) : await runInProcess(worker, url, env.secret);
      results.push(r);
      print(r);
    } catch (error) {
      errors[mode] = (error as Error).message;
      console.error(`\n${mode}: FAILED: ${(error as Error).message}`);
    }
  }
  await runCleanups();
  const file = writeResult('live-latency', {
    config: { clients: CLIENTS, emits: EMITS, ratePerSecond: RATE, warmup: WARMUP, transport: 'websocket', event: 'health:sample' },
    headline: results.find((r) => r.mode === 'child')?.mode ?? results[0]?.mode ?? null,
    results,
    errors,
  });
  console.log(`\nresult: ${path.relative(process.cwd(), file)}`);
  if (Object.keys(errors).length > 0) process.exitCode = 1;
}

runBenchmark({ name: 'live-latency', hardLimitMs: 110_000, main });
