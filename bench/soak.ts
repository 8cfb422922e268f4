// The soak: everything at once against the real worker for N minutes, with one SIGKILL halfway.
//
//   npm run soak -- --minutes 30 [--modules 500] [--dashboards 20]
//
// The worker runs as `npm start`'s launcher runs it (`node --import tsx server/main.ts`, SQLite in
// a temp data dir, a real configuration file). Meanwhile: guard checks (50/s), event ingest (5
// batches of 10 events/s, every acknowledged event id kept), probes of `--modules` http modules
// every 10 s against bench/lib/load-targets.ts in its own process, 20 socket.io dashboards, and a
// snapshot every minute. Halfway the worker is SIGKILLed and started again on the same port and
// data. At the end: error rate (errors while the worker was down on purpose counted apart), every
// acknowledged event looked up in the chain, RSS and heap growth per hour of each worker life
// after its warm-up, event-loop lag p99, and `vigil audit verify`.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { issueLiveToken } from '@/server/auth/live-token';
import { internalToken } from '@/server/auth/keys';
import { BENCH_DIR, REPO_ROOT, intArg, machineInfo, monoMs, parseArgs, round, table, verdict, writeResult } from './lib/common';
import { addCleanup, runBenchmark, runCleanups } from './lib/run';
import { cleanEnv, freePort, healthz, lineFrom, stop, track } from './lib/worker-process';
import { dashboards, eventIngest, guardChecks, snapshots, type SoakTarget } from './lib/soak-load';

const args = parseArgs();
const MINUTES = intArg(args, 'minutes', 5);
const MODULES = intArg(args, 'modules', 500);
const DASHBOARDS = intArg(args, 'dashboards', 20);
const WARMUP_MS = 60_000;
const SAMPLE_MS = 5000;
const TARGETS = { errorRatePercent: 0.1, lostEvents: 0, growthPercentPerHour: 10 };

interface Sample {
  at: number;
  life: number;
  rssMiB: number;
  heapMiB: number;
  lagP99Ms: number;
}

function rssMiB(pid: number): number {
  return Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
}

const metric = (text: string, name: string) => Number(new RegExp(`^${name} ([-0-9.e+]+)$`, 'm').exec(text)?.[1] ?? NaN);

/**
 * Growth of a life's samples after its warm-up: the least-squares slope over the window, as % of
 * the window's mean, both over the window itself and extrapolated to an hour. Under 10 minutes
 * of samples the hourly figure is noise (a GC cycle reads as hundreds of % an hour): not judged.
 */
function growth(samples: Sample[], pick: (s: Sample) => number): { windowPercent: number; perHourPercent: number | null } | null {
  if (samples.length < 3) return null;
  const xs = samples.map((s) => s.at / 3_600_000);
  const ys = samples.map(pick);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  const slope = xs.reduce((sum, x, i) => sum + (x - mx) * (ys[i] - my), 0) / xs.reduce((sum, x) => sum + (x - mx) ** 2, 0);
  const hours = xs.at(-1)! - xs[0];
  return { windowPercent: round(((slope * hours) / my) * 100, 1), perHourPercent: hours >= 1 / 6 ? round((slope / my) * 100, 1) : null };
}

async function main(): Promise<void> {
  const machine = machineInfo();
  const loadBefore = readFileSync('/proc/loadavg', 'utf8').trim();
  console.log(
    `soak: ${MINUTES} min, ${MODULES} probed modules, ${DASHBOARDS} dashboards; ${machine.cpus} CPU, node ${machine.node}, /proc/loadavg ${loadBefore}`,
  );
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vigil-soak-'));
  addCleanup(() => rmSync(dataDir, { recursive: true, force: true }));
  const snapshotSource = path.join(dataDir, 'app');
  mkdirSync(snapshotSource);
  for (let i = 0; i < 50; i++) writeFileSync(path.join(snapshotSource, `file-${i}.txt`), randomBytes(2048).toString('hex'));

  const targets = spawn(process.execPath, ['--import', 'tsx', path.join(BENCH_DIR, 'lib', 'load-targets.ts')], {
    cwd: REPO_ROOT,
    env: cleanEnv({ PORTS: '2' }),
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  track(targets, 'load-targets');
  const ports = JSON.parse(await lineFrom(targets, 'ready ', 30_000)) as number[];
  const modules = Array.from(
    { length: MODULES },
    (_, i) => `  - { name: soak-${i}, kind: http, url: "http://127.0.0.1:${ports[i % ports.length]}/m/${i}", intervalSeconds: 10, timeoutSeconds: 2 }`,
  );
  const configPath = path.join(dataDir, 'vigil.config.yaml');
  writeFileSync(configPath, `modules:\n${modules.join('\n')}\nsnapshots:\n  sources:\n    - { name: app, path: "${snapshotSource}" }\n`);

  const secret = randomBytes(32).toString('base64url');
  const apiToken = `vgl_soak_${randomBytes(16).toString('hex')}`;
  const port = await freePort();
  const env = cleanEnv({
    VIGIL_DATA_DIR: dataDir,
    VIGIL_CONFIG: configPath,
    VIGIL_SECRET: secret,
    VIGIL_API_TOKEN: apiToken,
    WORKER_PORT: String(port),
    WORKER_HOST: '127.0.0.1',
  });
  let downSince: number | null = null;
  const startWorker = async (): Promise<ChildProcess> => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const { output } = track(child, 'worker');
    const deadline = Date.now() + 90_000;
    while ((await healthz(port)) !== 200) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the worker did not answer /healthz:\n${output()}`);
      await sleep(100);
    }
    return child;
  };
  let worker = await startWorker();
  const target: SoakTarget = { port, apiToken, internalToken: internalToken(secret), down: () => downSince !== null };
  const guard = guardChecks(target, 50);
  const ingest = eventIngest(target, 5, 10);
  const snapshot = snapshots(target, 60_000);
  // Live tokens must be bound to something still in force: here the provisioned API token (its row id is fixed).
  const live = dashboards(
    target,
    DASHBOARDS,
    async () => (await issueLiveToken(secret, { id: 'env-provisioned', name: 'VIGIL_API_TOKEN', role: 'admin', kind: 'token' })).token,
  );

  const samples: Sample[] = [];
  let life = 0;
  let lifeStartedAt = monoMs();
  let restartMs = 0;
  const startedAt = monoMs();
  const endAt = startedAt + MINUTES * 60_000;
  let killed = false;
  while (monoMs() < endAt) {
    await sleep(SAMPLE_MS);
    if (!killed && monoMs() - startedAt >= (MINUTES * 60_000) / 2) {
      killed = true;
      downSince = monoMs();
      worker.kill('SIGKILL');
      await new Promise((resolve) => worker.once('exit', resolve));
      worker = await startWorker();
      restartMs = Math.round(monoMs() - downSince);
      downSince = null;
      life += 1;
      lifeStartedAt = monoMs();
      console.log(`worker SIGKILLed at ${Math.round((monoMs() - startedAt) / 1000)} s and serving again after ${restartMs} ms`);
      continue;
    }
    const text = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(10_000) })
      .then((r) => r.text())
      .catch(() => '');
    if (monoMs() - lifeStartedAt >= WARMUP_MS)
      samples.push({
        at: monoMs(),
        life,
        rssMiB: rssMiB(worker.pid!),
        heapMiB: metric(text, 'nodejs_heap_size_used_bytes') / 2 ** 20,
        lagP99Ms: metric(text, 'nodejs_eventloop_lag_p99_seconds') * 1000,
      });
  }
  const connectedAtEnd = live.connected();
  console.log(`dashboards connected at the end: ${connectedAtEnd}`);
  await Promise.all([guard.stop(), ingest.stop(), snapshot.stop()]);
  live.stop();
  await stop(worker);

  const db = new Database(path.join(dataDir, 'vigil.db'), { readonly: true });
  const stored = new Set((db.prepare('select eventId from AuditEvent').all() as { eventId: string }[]).map((r) => r.eventId));
  db.close();
  const lost = ingest.acknowledged.filter((id) => !stored.has(id)).length;
  const verify = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'vigil.mjs'), 'audit', 'verify'], {
    cwd: REPO_ROOT,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  const verifyLine = `${verify.stdout}${verify.stderr}`.trim().split('\n').slice(-2).join(' / ');

  const all = [guard.counts, ingest.counts, snapshot.counts];
  const requests = all.reduce((n, c) => n + c.requests, 0);
  const errors = all.reduce((n, c) => n + c.errors, 0);
  const errorsWhileDown = all.reduce((n, c) => n + c.errorsWhileDown, 0);
  const errorRatePercent = round((errors / Math.max(1, requests)) * 100, 3);
  const lives = [0, 1].map((l) => samples.filter((s) => s.life === l));
  const grown = lives.map((s) => ({
    rss: growth(s, (x) => x.rssMiB),
    heap: growth(s, (x) => x.heapMiB),
    rssMiB: s.length ? round(s.at(-1)!.rssMiB, 1) : null,
    minutes: s.length ? round((s.at(-1)!.at - s[0].at) / 60_000, 1) : 0,
  }));
  const judged = (g: { perHourPercent: number | null } | null) =>
    g === null || g.perHourPercent === null || Math.abs(g.perHourPercent) <= TARGETS.growthPercentPerHour;
  const shown = (g: { windowPercent: number; perHourPercent: number | null } | null) =>
    g ? `${g.windowPercent} % over the window, ${g.perHourPercent ?? 'n/a'} %/h` : '–';
  const lags = samples.map((s) => s.lagP99Ms).filter(Number.isFinite);
  // Runs shorter than two warm-ups have no sample after one: nothing to report then.
  const lagP99 = lags.length > 0 ? round(Math.max(...lags), 1) : null;
  const pass = {
    errors: errorRatePercent < TARGETS.errorRatePercent,
    lost: lost === TARGETS.lostEvents,
    growth: grown.every((g) => judged(g.rss) && judged(g.heap)),
    verify: verify.status === 0,
    dashboards: connectedAtEnd === DASHBOARDS,
  };
  console.log(
    table(
      ['metric', 'result', 'target', 'verdict'],
      [
        ['requests (guard / ingest / snapshot)', `${guard.counts.requests} / ${ingest.counts.requests} / ${snapshot.counts.requests}`, '', ''],
        ['errors while up (rate)', `${errors} (${errorRatePercent} %)`, `< ${TARGETS.errorRatePercent} %`, verdict(pass.errors)],
        ['errors while down on purpose', `${errorsWhileDown} (down ${restartMs} ms)`, '', ''],
        ['acknowledged events / missing from the chain', `${ingest.acknowledged.length} / ${lost}`, '0 lost', verdict(pass.lost)],
        ...grown.map((g, i) => [
          `life ${i + 1} after warm-up (${g.minutes} min): RSS`,
          `${shown(g.rss)} (last ${g.rssMiB} MB)`,
          `within ±${TARGETS.growthPercentPerHour} %/h (≥ 10 min)`,
          verdict(judged(g.rss)),
        ]),
        ...grown.map((g, i) => [`life ${i + 1}: heap used`, shown(g.heap), `within ±${TARGETS.growthPercentPerHour} %/h (≥ 10 min)`, verdict(judged(g.heap))]),
        ['event-loop lag p99 (worst 5 s sample)', lagP99 === null ? '– (no sample after the warm-up)' : `${lagP99} ms`, '', ''],
        [
          'dashboards connected at the end / connects / module updates seen',
          `${connectedAtEnd} of ${DASHBOARDS} / ${live.connects()} / ${live.updates()}`,
          `${DASHBOARDS}`,
          verdict(connectedAtEnd === DASHBOARDS),
        ],
        ['dashboard connection errors', live.errors(), '', ''],
        ['snapshots taken', snapshot.taken(), '', ''],
        ['vigil audit verify', `exit ${verify.status}: ${verifyLine}`, 'exit 0', verdict(pass.verify)],
      ],
    ),
  );
  const loadAfter = readFileSync('/proc/loadavg', 'utf8').trim();
  console.log(`/proc/loadavg before ${loadBefore}, after ${loadAfter}`);
  writeResult('soak', {
    minutes: MINUTES,
    modules: MODULES,
    dashboards: DASHBOARDS,
    requests,
    errors,
    errorsWhileDown,
    errorRatePercent,
    restartMs,
    acknowledged: ingest.acknowledged.length,
    lost,
    growth: grown,
    dashboardErrors: live.errors(),
    lagP99Ms: lagP99,
    connectedAtEnd,
    snapshots: snapshot.taken(),
    verify: { status: verify.status, line: verifyLine },
    pass,
    loadBefore,
    loadAfter,
  });
  await runCleanups();
  if (!Object.values(pass).every(Boolean)) process.exitCode = 1;
}

runBenchmark({ name: 'soak', hardLimitMs: (MINUTES * 60 + 300) * 1000, main });
