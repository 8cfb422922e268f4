// 2,000 HTTP targets probed every 20 s: worker CPU, p95 scheduling drift, RSS.
//
//   npx tsx bench/healing-http-2000.ts [--modules 2000] [--interval 20] [--warmup 25] [--measure 100]
//
// Two processes besides this one: bench/lib/http-targets.ts (50 loopback listeners, 40 distinct
// paths each) and bench/lib/probe-engine.ts (a real HealingEngine over SQLite with one `http`
// module per target, audit through the real AuditWriter). The engine process measures itself
// after the warm-up: process.cpuUsage() over the window (user + system, as % of one core), the
// engine's drift (how late each probe started against its plan), and its peak RSS.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { BENCH_DIR, REPO_ROOT, intArg, machineInfo, parseArgs, table, verdict, writeResult } from './lib/common';
import { runBenchmark, runCleanups } from './lib/run';
import { cleanEnv, lineFrom, track } from './lib/worker-process';

const args = parseArgs();
const MODULES = intArg(args, 'modules', 2000);
const INTERVAL = intArg(args, 'interval', 20);
const WARMUP = intArg(args, 'warmup', 25);
const MEASURE = intArg(args, 'measure', 100);
const TARGETS = { cpuPercent: 25, driftP95Ms: 1000, rssMiB: 250 };

const tsx = (file: string, env: Record<string, string>) =>
  spawn(process.execPath, ['--import', 'tsx', path.join(BENCH_DIR, 'lib', file)], { cwd: REPO_ROOT, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });

async function main(): Promise<void> {
  const before = machineInfo();
  console.log(
    `healing-http-2000: ${MODULES} http modules every ${INTERVAL} s, warm-up ${WARMUP} s, measured ${MEASURE} s; load ${before.loadAverage.join(' ')}`,
  );
  const targets = tsx('http-targets.ts', { PORTS: '50' });
  track(targets, 'http-targets');
  const ports = await lineFrom(targets, 'ready ', 30_000);
  const engine = tsx('probe-engine.ts', {
    TARGET_PORTS: ports,
    COUNT: String(MODULES),
    INTERVAL: String(INTERVAL),
    WARMUP: String(WARMUP),
    MEASURE: String(MEASURE),
  });
  const { output } = track(engine, 'probe-engine');
  const result = JSON.parse(
    await lineFrom(engine, 'result ', (WARMUP + MEASURE + 60) * 1000).catch((error: Error) => Promise.reject(new Error(`${error.message}\n${output()}`))),
  ) as {
    upAtStart: number;
    upAtEnd: number;
    probes: number;
    cpuPercentOfOneCore: number;
    driftMs: { p50: number; p95: number; p99: number; max: number };
    maxRssMiB: number;
  };
  // It closes its engine and removes its temp dir by itself once it has reported.
  await new Promise((resolve) => (engine.exitCode !== null ? resolve(null) : engine.once('exit', resolve)));
  const after = machineInfo();
  const pass = {
    cpu: result.cpuPercentOfOneCore <= TARGETS.cpuPercent,
    drift: result.driftMs.p95 <= TARGETS.driftP95Ms,
    rss: result.maxRssMiB <= TARGETS.rssMiB,
    allUp: result.upAtEnd === MODULES,
  };
  const rows = [
    ['engine CPU (user+system)', `${result.cpuPercentOfOneCore} % of one core`, `≤ ${TARGETS.cpuPercent} %`, verdict(pass.cpu)],
    [
      'scheduling drift p50 / p95 / max',
      `${result.driftMs.p50} / ${result.driftMs.p95} / ${result.driftMs.max} ms`,
      `p95 ≤ ${TARGETS.driftP95Ms} ms`,
      verdict(pass.drift),
    ],
    ['engine RSS (peak)', `${result.maxRssMiB} MB`, `≤ ${TARGETS.rssMiB} MB`, verdict(pass.rss)],
    ['probes in the window / modules up', `${result.probes} / ${result.upAtEnd} of ${MODULES}`, `${MODULES} every ${INTERVAL} s, all up`, verdict(pass.allUp)],
  ];
  console.log(table(['metric', 'result', 'target', 'verdict'], rows));
  const summaryRows = rows.map((row, i) => [i === 0 ? `healing-http-2000 (${MODULES} × ${INTERVAL} s)` : '', ...row]);
  console.log(`load before ${before.loadAverage.join(' ')}, after ${after.loadAverage.join(' ')}`);
  writeResult('healing-http-2000', {
    summaryRows,
    modules: MODULES,
    intervalSeconds: INTERVAL,
    warmupSeconds: WARMUP,
    measureSeconds: MEASURE,
    ...result,
    pass,
    loadBefore: before.loadAverage,
    loadAfter: after.loadAverage,
  });
  await runCleanups();
  if (!pass.cpu || !pass.drift || !pass.rss || !pass.allUp) process.exitCode = 1;
}

runBenchmark({ name: 'healing-http-2000', hardLimitMs: (WARMUP + MEASURE + 50) * 1000, main });
