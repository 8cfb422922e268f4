// 10,000 HTTP monitors every 60 s in the real worker: its CPU, scheduling drift, false downs.
//
//   npx tsx bench/monitors-scale.ts [--modules 10000] [--interval 60] [--warmup 75] [--measure 180] [--kuma DIR]
//
// The worker is `node --import tsx server/main.ts` with a config file of MODULES `http` modules
// (SQLite in a temp dir, LOG_LEVEL=warn). The targets run in their own process
// (bench/lib/http-targets.ts with RECORD_INTERVAL, 50 loopback listeners, one path per module) and record when each
// path is asked: drift is how far a module's consecutive probes stray from the interval, measured
// where the requests land. Worker CPU is utime + stime from /proc over the measured window, as %
// of one core; "down" is read from the worker's /metrics (vigil_module_up) at the end.
// Anchors, in the same run: the same worker and targets with a tenth of the modules; and with
// --kuma DIR (an installed `uptime-kuma` package), Uptime Kuma with all of them (bench/lib/uptime-kuma.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'yaml';
import { BENCH_DIR, REPO_ROOT, distribution, intArg, machineInfo, parseArgs, processCpuMs, round, table, verdict, writeResult } from './lib/common';
import { addCleanup, runBenchmark, runCleanups } from './lib/run';
import { kumaDownCount, prepareKuma, runKuma } from './lib/uptime-kuma';
import { cleanEnv, lineFrom, spawnWorker, stop, track } from './lib/worker-process';

const args = parseArgs();
const MODULES = intArg(args, 'modules', 10_000);
const INTERVAL = intArg(args, 'interval', 60);
const WARMUP = intArg(args, 'warmup', 75);
const MEASURE = intArg(args, 'measure', 180);
const TARGETS = { cpuPercent: 30, driftP95Ms: 1000 };
const KUMA_DIR = args.get('kuma') ?? process.env.VIGIL_BENCH_UPTIME_KUMA;

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

/** A prober running its monitors: the process to watch, and what it says at the end. */
interface Prober {
  child: ChildProcess;
  readyMs: number;
  /** Read before it stops (Vigil's /metrics) or after (Uptime Kuma's database). */
  beforeStop(): Promise<{ down?: number; startDelayP99Ms: number | null }>;
  afterStop?(): number;
}

const monitorList = (modules: number, ports: number[]) =>
  Array.from({ length: modules }, (_, i) => ({
    name: `m${i}`,
    url: `http://127.0.0.1:${ports[i % ports.length]}/m/${i}`,
    intervalSeconds: INTERVAL,
    timeoutSeconds: 10,
  }));

async function startVigil(modules: number, ports: number[]): Promise<Prober> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-scale-'));
  addCleanup(() => rmSync(dir, { recursive: true, force: true }));
  const config = path.join(dir, 'vigil.config.yaml');
  const list = monitorList(modules, ports).map((m) => ({
    name: m.name,
    kind: 'http',
    url: m.url,
    intervalSeconds: m.intervalSeconds,
    timeoutSeconds: m.timeoutSeconds,
  }));
  writeFileSync(config, stringify({ modules: list }));
  const spawnedAt = performance.now();
  const { child, port } = await spawnWorker({ VIGIL_DATA_DIR: dir, VIGIL_CONFIG: config }, { timeoutMs: 300_000 });
  const readyMs = Math.round(performance.now() - spawnedAt);
  console.log(`worker with ${modules} monitors answered /healthz after ${readyMs} ms`);
  addCleanup(() => stop(child));
  return {
    child,
    readyMs,
    async beforeStop() {
      const metrics = await getText(`http://127.0.0.1:${port}/metrics`);
      const down = [...metrics.matchAll(/^vigil_module_up\{[^}]*\} (\d+)/gm)].filter((m) => m[1] === '0').length;
      const p99 = /^vigil_probe_start_delay_p99_seconds ([\d.e+-]+)/m.exec(metrics)?.[1];
      return { down, startDelayP99Ms: p99 === undefined ? null : round(Number(p99) * 1000, 0) };
    },
  };
}

async function startUptimeKuma(kumaDir: string, modules: number, ports: number[]): Promise<Prober> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-kuma-'));
  addCleanup(() => rmSync(dir, { recursive: true, force: true }));
  await prepareKuma(kumaDir, dir, monitorList(modules, ports));
  const { child, readyMs } = await runKuma(kumaDir, dir);
  console.log(`Uptime Kuma with ${modules} monitors answered after ${readyMs} ms`);
  addCleanup(() => stop(child));
  return { child, readyMs, beforeStop: async () => ({ startDelayP99Ms: null }), afterStop: () => kumaDownCount(dir) };
}

async function measure(label: string, modules: number, prober: Prober, ports: number[]): Promise<Round> {
  const { child } = prober;
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
  // Every listener shares one process and one arrival table: asking one of them is asking all.
  const drift = JSON.parse(await getText(`http://127.0.0.1:${ports[0]}/__drift?since=${since}`)) as { drifts: number[]; requests: number };
  const said = await prober.beforeStop();
  await stop(child);
  const down = said.down ?? prober.afterStop?.() ?? 0;
  const d = distribution(drift.drifts);
  const result: Round = {
    modules,
    cpuPercent,
    driftMs: { p50: round(d.p50, 0), p95: round(d.p95, 0), p99: round(d.p99, 0), max: round(d.max, 0), count: d.count },
    requests: drift.requests,
    down,
    startDelayP99Ms: said.startDelayP99Ms,
    rssMiB: round(rss / 1024, 0),
    readyMs: prober.readyMs,
  };
  console.log(`${label} (${modules}): ${JSON.stringify(result)}`);
  return result;
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
  const anchorModules = Math.round(MODULES / 10);
  const anchor = await measure('anchor', anchorModules, await startVigil(anchorModules, ports), ports);
  const full = await measure('full', MODULES, await startVigil(MODULES, ports), ports);
  const kuma = KUMA_DIR ? await measure('Uptime Kuma', MODULES, await startUptimeKuma(KUMA_DIR, MODULES, ports), ports) : null;
  if (!kuma) console.warn('!!! Uptime Kuma anchor skipped: pass --kuma <directory of an installed uptime-kuma package>');
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
  if (kuma) {
    const side = (r: Round) => [
      `${r.cpuPercent} %`,
      `${r.driftMs.p50} / ${r.driftMs.p95} / ${r.driftMs.max} ms`,
      String(r.down),
      String(r.requests),
      `${r.rssMiB} MB`,
      `${r.readyMs} ms`,
    ];
    const names = [
      'CPU (user+system), % of one core',
      'drift p50 / p95 / max (at the targets)',
      'monitors down at the end',
      'requests in the window',
      'RSS (peak)',
      'start to answering',
    ];
    const vigil = side(full);
    const anchorKuma = side(kuma);
    console.log(
      table(
        ['metric', `Vigil, ${MODULES} monitors`, `Uptime Kuma, ${MODULES} monitors`],
        names.map((name, i) => [name, vigil[i], anchorKuma[i]]),
      ),
    );
  }
  console.log(`load before ${before.loadAverage.join(' ')}, after ${after.loadAverage.join(' ')}`);
  writeResult('monitors-scale', { full, anchor, kuma, summary: row(full), anchorSummary: row(anchor), machine: { before, after }, pass });
  await runCleanups();
}

runBenchmark({ name: 'monitors-scale', hardLimitMs: (3 * (WARMUP + MEASURE) + 800) * 1000, main });
