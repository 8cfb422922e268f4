// 10,000 HTTP monitors every 60 s in the real worker: its CPU, scheduling drift, false downs.
//
//   npx tsx bench/monitors-scale.ts [--modules 10000] [--interval 60] [--warmup 75] [--measure 180]
//
// The worker is `node --import tsx server/main.ts` with a config file of MODULES `http` modules
// (SQLite in a temp dir, LOG_LEVEL=warn). The targets run in their own process
// (bench/lib/http-targets.ts with RECORD_INTERVAL, 50 loopback listeners, one path per module) and record when each
// path is asked: drift is how far a module's consecutive probes stray from the interval, measured
// where the requests land. Worker CPU is utime + stime from /proc over the measured window, as %
// of one core; "down" is read from the worker's /metrics (vigil_module_up) at the end.
// Anchor: the same worker and targets with a tenth of the modules, in the same run.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'yaml';
import { BENCH_DIR, REPO_ROOT, distribution, intArg, machineInfo, parseArgs, processCpuMs, round, table, verdict, writeResult } from './lib/common';
import { addCleanup, runBenchmark, runCleanups } from './lib/run';
import { cleanEnv, lineFrom, spawnWorker, stop, track } from './lib/worker-process';

const args = parseArgs();
const MODULES = intArg(args, 'modules', 10_000);
const INTERVAL = intArg(args, 'interval', 60);
const WARMUP = intArg(args, 'warmup', 75);
const MEASURE = intArg(args, 'measure', 180);
const TARGETS = { cpuPercent: 30, driftP95Ms: 1000 };

interface Round {
  modules: number;
  cpuPercent: number;
  driftMs: { p50: number; p95: number; p99: number; max: number; count: number };
  requests: number;
  down: number;
  startDelayP99Ms: number | null;
  rssMiB: number;
  readyMs: number;
}

async function getText(url: string): Promise<string> {
  const response = await fetch(url);
  return response.text();
}

async function measure(modules: number, ports: number[]): Promise<Round> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-scale-'));
  addCleanup(() => rmSync(dir, { recursive: true, force: true }));
  const config = path.join(dir, 'vigil.config.yaml');
  const list = Array.from({ length: modules }, (_, i) => ({
    name: `m${i}`,
    kind: 'http',
    url: `http://127.0.0.1:${ports[i % ports.length]}/m/${i}`,
    intervalSeconds: INTERVAL,
    timeoutSeconds: 10,
  }));
  writeFileSync(config, stringify({ modules: list }));
  const spawnedAt = performance.now();
  const { child, port } = await spawnWorker({ VIGIL_DATA_DIR: dir, VIGIL_CONFIG: config }, { timeoutMs: 300_000 });
  const readyMs = Math.round(performance.now() - spawnedAt);
  console.log(`worker with ${modules} monitors answered /healthz after ${readyMs} ms`);
  addCleanup(() => stop(child));
  await sleep(WARMUP * 1000);
  const since = Date.now();
  const cpuBefore = processCpuMs(child.pid!);
  const wallBefore = performance.now();
  let rss = 0;
  while (performance.now() - wallBefore < MEASURE * 1000) {
    await sleep(1000);
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    rss = Math.max(rss, Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0));
  }
  const cpuPercent = round(((processCpuMs(child.pid!) - cpuBefore) / (performance.now() - wallBefore)) * 100, 1);
  const drift = JSON.parse(await getText(`http://127.0.0.1:${ports[0]}/__drift?since=${since}`)) as { drifts: number[]; requests: number };
  // Every listener shares one process and one arrival table: asking one of them is asking all.
  const metrics = await getText(`http://127.0.0.1:${port}/metrics`);
  const down = [...metrics.matchAll(/^vigil_module_up\{[^}]*\} (\d+)/gm)].filter((m) => m[1] === '0').length;
  const p99 = /^vigil_probe_start_delay_p99_seconds ([\d.e+-]+)/m.exec(metrics)?.[1];
  await stop(child);
  const d = distribution(drift.drifts);
  return {
    modules,
    cpuPercent,
    driftMs: { p50: round(d.p50, 0), p95: round(d.p95, 0), p99: round(d.p99, 0), max: round(d.max, 0), count: d.count },
    requests: drift.requests,
    down,
    startDelayP99Ms: p99 === undefined ? null : round(Number(p99) * 1000, 0),
    rssMiB: round(rss / 1024, 0),
    readyMs,
  };
}

async function main(): Promise<void> {
  const before = machineInfo();
  console.log(
    `monitors-scale: ${MODULES} http monitors every ${INTERVAL} s in the real worker; warm-up ${WARMUP} s, measured ${MEASURE} s; load ${before.loadAverage.join(' ')}`,
  );
  const targets = spawn(process.execPath, ['--import', 'tsx', path.join(BENCH_DIR, 'lib', 'http-targets.ts')], {
    cwd: REPO_ROOT,
    env: cleanEnv({ PORTS: '50', RECORD_INTERVAL: String(INTERVAL) }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(targets, 'http-targets');
  addCleanup(() => stop(targets));
  const ports = JSON.parse(await lineFrom(targets, 'ready ', 30_000)) as number[];
  const anchor = await measure(Math.round(MODULES / 10), ports);
  console.log(`anchor (${anchor.modules}): ${JSON.stringify(anchor)}`);
  const full = await measure(MODULES, ports);
  console.log(`full (${full.modules}): ${JSON.stringify(full)}`);
  const after = machineInfo();
  const expectedRequests = Math.floor((MEASURE / INTERVAL) * MODULES);
  const pass = { cpu: full.cpuPercent <= TARGETS.cpuPercent, drift: full.driftMs.p95 <= TARGETS.driftP95Ms, down: full.down === 0 };
  const row = (r: Round) => `${r.cpuPercent} % / ${r.driftMs.p50}, ${r.driftMs.p95}, ${r.driftMs.max} ms / ${r.down} / ${r.rssMiB} MB`;
  const rows = [
    ['worker CPU (user+system), % of one core', `${full.cpuPercent} %`, `${anchor.cpuPercent} %`, `≤ ${TARGETS.cpuPercent} %`, verdict(pass.cpu)],
    [
      'drift p50 / p95 / max (at the targets)',
      `${full.driftMs.p50} / ${full.driftMs.p95} / ${full.driftMs.max} ms`,
      `${anchor.driftMs.p50} / ${anchor.driftMs.p95} / ${anchor.driftMs.max} ms`,
      `p95 ≤ ${TARGETS.driftP95Ms} ms`,
      verdict(pass.drift),
    ],
    ['modules down at the end', String(full.down), String(anchor.down), '0', verdict(pass.down)],
    ['requests in the window', `${full.requests} (≥ ${expectedRequests} expected)`, String(anchor.requests), '', ''],
    ['worker start-delay p99 (/metrics)', `${full.startDelayP99Ms} ms`, `${anchor.startDelayP99Ms} ms`, '', ''],
    ['worker RSS (peak)', `${full.rssMiB} MB`, `${anchor.rssMiB} MB`, '', ''],
    ['spawn to /healthz 200', `${full.readyMs} ms`, `${anchor.readyMs} ms`, '', ''],
  ];
  console.log(table(['metric', `${MODULES} monitors`, `${anchor.modules} monitors (anchor)`, 'target', 'verdict'], rows));
  console.log(`load before ${before.loadAverage.join(' ')}, after ${after.loadAverage.join(' ')}`);
  writeResult('monitors-scale', { full, anchor, summary: row(full), anchorSummary: row(anchor), machine: { before, after }, pass });
  await runCleanups();
}

runBenchmark({ name: 'monitors-scale', hardLimitMs: (2 * (WARMUP + MEASURE) + 400) * 1000, main });
