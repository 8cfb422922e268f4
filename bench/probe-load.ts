// 2,000 HTTP modules every 10 s in the real worker: its CPU, probe lateness, event-loop lag and
// whether the prober blamed targets that answered every request.
//
//   npx tsx bench/probe-load.ts [--modules 2000] [--interval 10] [--warmup 40] [--measure 180] [--cpu-prof] [--launcher-flags]
//
// --launcher-flags runs the worker with the node flags and environment the launcher gives it
// (scripts/lib/worker-runtime.mjs), to see what they cost under load.
//
// Three processes besides this one: bench/lib/load-targets.ts (a few loopback listeners, one path
// per module), the worker exactly as `npm start`'s launcher runs it (`node --import tsx
// server/main.ts`, SQLite in a temp data dir, a real configuration file with one `kind: http`
// module per path) and bench/lib/probe-anchor.ts, a bare keep-alive GET loop over as many paths of
// the same targets: the cost floor. Both probers are measured over the same window: CPU from
// /proc/<pid>/stat (user + system ticks, % of one core), lateness of each request against its
// path's cadence as the targets saw it. The worker's event-loop lag p99 and health come from its
// /metrics (scraped every 30 s, as Prometheus would); downs and incidents from its database after.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { BENCH_DIR, REPO_ROOT, distribution, intArg, machineInfo, monoMs, parseArgs, round, table, verdict, writeResult } from './lib/common';
import { addCleanup, runBenchmark, runCleanups } from './lib/run';
import { cleanEnv, freePort, healthz, lineFrom, stop, track } from './lib/worker-process';
// @ts-expect-error -- a plain ES module of the launcher, without type declarations
import { WORKER_NODE_FLAGS, workerEnv } from '../scripts/lib/worker-runtime.mjs';

const args = parseArgs();
const MODULES = intArg(args, 'modules', 2000);
const INTERVAL = intArg(args, 'interval', 10);
const WARMUP = intArg(args, 'warmup', 40);
const MEASURE = intArg(args, 'measure', 180);
const CPU_PROFILE = args.has('cpu-prof');
const LAUNCHER_FLAGS = args.has('launcher-flags');
const TARGETS = { cpuPercent: 35, down: 0 };
const CLOCK_TICKS = 100;

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // Fields 14 and 15 of stat (utime, stime), counted from the state field (3).
  return Number(fields[11]) + Number(fields[12]);
}

function ask<T>(child: ChildProcess, message: object): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (answer) => resolve(answer as T));
    child.send(message);
  });
}

const child = (file: string, env: Record<string, string>) => {
  const spawned = spawn(process.execPath, ['--import', 'tsx', path.join(BENCH_DIR, 'lib', file)], {
    cwd: REPO_ROOT,
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  track(spawned, file);
  return spawned;
};

function metric(text: string, name: string): number | null {
  const match = new RegExp(`^${name}(?:\\{[^}]*\\})? ([-0-9.e+]+|NaN)$`, 'm').exec(text);
  return match ? Number(match[1]) : null;
}

async function scrape(port: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(10_000) }).catch(() => null);
  return response?.ok ? response.text() : '';
}

function summarize(values: number[]) {
  const d = distribution(values);
  return { count: d.count, p50: round(d.p50, 1), p95: round(d.p95, 1), p99: round(d.p99, 1), max: round(d.max, 1) };
}

async function main(): Promise<void> {
  const before = machineInfo();
  const loadBefore = readFileSync('/proc/loadavg', 'utf8').trim();
  console.log(`probe-load: ${MODULES} http modules every ${INTERVAL} s in the real worker, warm-up ${WARMUP} s, measured ${MEASURE} s`);
  console.log(`machine: ${before.cpus} CPU (${before.cpuModel}), node ${before.node}, /proc/loadavg ${loadBefore}`);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-load-'));
  addCleanup(() => rmSync(dataDir, { recursive: true, force: true }));

  const targets = child('load-targets.ts', { PORTS: '4' });
  const ports = JSON.parse(await lineFrom(targets, 'ready ', 30_000)) as number[];
  const url = (prefix: string, i: number) => `http://127.0.0.1:${ports[i % ports.length]}/${prefix}/${i}`;
  const modules = Array.from(
    { length: MODULES },
    (_, i) => `  - { name: load-${i}, kind: http, url: "${url('m', i)}", intervalSeconds: ${INTERVAL}, timeoutSeconds: 2 }`,
  );
  const configPath = path.join(dataDir, 'vigil.config.yaml');
  writeFileSync(configPath, `modules:\n${modules.join('\n')}\n`);

  const port = await freePort();
  const profileDir = path.join(REPO_ROOT, 'bench', 'results', 'cpu-profile');
  const nodeFlags = [...(LAUNCHER_FLAGS ? (WORKER_NODE_FLAGS as string[]) : []), ...(CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])];
  const workerVars = cleanEnv({ VIGIL_DATA_DIR: dataDir, VIGIL_CONFIG: configPath, WORKER_PORT: String(port), WORKER_HOST: '127.0.0.1' });
  const worker = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', 'server/main.ts'], {
    cwd: REPO_ROOT,
    env: LAUNCHER_FLAGS ? (workerEnv(workerVars) as NodeJS.ProcessEnv) : workerVars,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const workerOut = track(worker, 'worker');
  const startDeadline = Date.now() + 60_000;
  while ((await healthz(port)) !== 200) {
    if (Date.now() > startDeadline || worker.exitCode !== null) throw new Error(`the worker did not answer /healthz:\n${workerOut.output()}`);
    await sleep(200);
  }
  const anchor = child('probe-anchor.ts', { TARGETS: JSON.stringify(Array.from({ length: MODULES }, (_, i) => url('a', i))), INTERVAL: String(INTERVAL) });
  await lineFrom(anchor, 'ready', 30_000);
  console.log(`worker pid ${worker.pid} on port ${port}; anchor pid ${anchor.pid}; warming up…`);
  await sleep(WARMUP * 1000);

  const since = monoMs();
  const start = { worker: cpuTicks(worker.pid!), anchor: cpuTicks(anchor.pid!), at: monoMs() };
  const lagP99: number[] = [];
  const delayP99: number[] = [];
  let lowestScore = 100;
  let worstLevel = 0;
  await scrape(port); // resets the lag histogram: the window's values only
  const until = monoMs() + MEASURE * 1000;
  while (monoMs() < until) {
    await sleep(Math.min(30_000, Math.max(0, until - monoMs())));
    const text = await scrape(port);
    const lag = metric(text, 'nodejs_eventloop_lag_p99_seconds');
    if (lag !== null) lagP99.push(lag * 1000);
    const score = metric(text, 'vigil_health_score');
    if (score !== null) lowestScore = Math.min(lowestScore, score);
    worstLevel = Math.max(worstLevel, metric(text, 'vigil_degradation_level') ?? 0);
    const delay = metric(text, 'vigil_probe_start_delay_p99_seconds');
    if (delay !== null) delayP99.push(delay * 1000);
  }
  const seconds = (monoMs() - start.at) / 1000;
  const cpu = {
    worker: round(((cpuTicks(worker.pid!) - start.worker) / CLOCK_TICKS / seconds) * 100, 1),
    anchor: round(((cpuTicks(anchor.pid!) - start.anchor) / CLOCK_TICKS / seconds) * 100, 1),
  };
  const { delays } = await ask<{ delays: Record<string, number[]> }>(targets, { type: 'delays', intervalMs: INTERVAL * 1000, since });
  const { failures: anchorFailures } = await ask<{ failures: number }>(anchor, { type: 'failures' });
  await stop(anchor);
  await stop(worker);

  const db = new Database(path.join(dataDir, 'vigil.db'), { readonly: true });
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  const store = {
    modulesEverDown: count(`select count(distinct module) as n from ModuleStateChange where "to" = 'down'`),
    modulesEverDegraded: count(`select count(distinct module) as n from ModuleStateChange where "to" = 'degraded'`),
    incidentsOpened: count('select count(*) as n from Incident'),
    inconclusiveEvents: count(`select count(*) as n from AuditEvent where type = 'healing.probe_inconclusive'`),
    auditEvents: count('select count(*) as n from AuditEvent'),
  };
  const incidentTitles = (
    db.prepare("select substr(title, instr(title, ':') + 2, 40) as t, count(*) as n from Incident group by t order by n desc limit 3").all() as {
      t: string;
      n: number;
    }[]
  ).map((r) => `${r.n}× ${r.t}`);
  db.close();

  const worker_ = {
    cpuPercentOfOneCore: cpu.worker,
    delayMs: summarize(delays.m ?? []),
    eventLoopLagP99Ms: lagP99.length ? round(Math.max(...lagP99), 1) : null,
    workerDelayP99Ms: delayP99.length ? round(Math.max(...delayP99), 1) : null,
    lowestHealthScore: lowestScore,
    worstDegradationLevel: worstLevel,
    ...store,
  };
  const anchor_ = { cpuPercentOfOneCore: cpu.anchor, delayMs: summarize(delays.a ?? []), failures: anchorFailures };
  const pass = { cpu: cpu.worker <= TARGETS.cpuPercent, down: store.modulesEverDown <= TARGETS.down };
  const d = (x: { p50: number; p95: number; p99: number }) => `${x.p50} / ${x.p95} / ${x.p99} ms`;
  console.log(
    table(
      ['metric', 'worker', 'anchor (bare loop)', 'target', 'verdict'],
      [
        ['CPU (user+system), % of one core', cpu.worker, cpu.anchor, `≤ ${TARGETS.cpuPercent} %`, verdict(pass.cpu)],
        ['lateness at the target p50 / p95 / p99', d(worker_.delayMs), d(anchor_.delayMs), '', ''],
        ['requests seen in the window', worker_.delayMs.count, anchor_.delayMs.count, '', ''],
        ['event-loop lag p99 (worst 30 s window)', `${worker_.eventLoopLagP99Ms ?? '–'} ms`, '', '', ''],
        ['probe start delay p99 (worker, worst 30 s)', `${worker_.workerDelayP99Ms ?? '–'} ms`, '', '', ''],
        ['modules ever marked down', store.modulesEverDown, anchorFailures, `${TARGETS.down}`, verdict(pass.down)],
        ['modules ever marked degraded', store.modulesEverDegraded, '', '', ''],
        ['incidents opened (most common titles)', `${store.incidentsOpened} (${incidentTitles.join('; ') || 'none'})`, '', '', ''],
        ['lowest health score / worst degradation level', `${lowestScore} / ${worstLevel}`, '', '', ''],
        ['inconclusive-probe audit events', store.inconclusiveEvents, '', '', ''],
      ],
    ),
  );
  const loadAfter = readFileSync('/proc/loadavg', 'utf8').trim();
  console.log(`/proc/loadavg before ${loadBefore}, after ${loadAfter}`);
  if (CPU_PROFILE)
    console.log(
      `CPU profile(s): ${readdirSync(profileDir)
        .map((f) => path.join(profileDir, f))
        .join(', ')}`,
    );
  writeResult('probe-load', {
    modules: MODULES,
    intervalSeconds: INTERVAL,
    warmupSeconds: WARMUP,
    measureSeconds: MEASURE,
    worker: { ...worker_, incidentTitles },
    anchor: anchor_,
    pass,
    loadBefore,
    loadAfter,
  });
  await runCleanups();
  if (!pass.cpu || !pass.down) process.exitCode = 1;
}

runBenchmark({ name: 'probe-load', hardLimitMs: (WARMUP + MEASURE + 150) * 1000, main });
