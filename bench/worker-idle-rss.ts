// Resident memory of the real worker process at idle.
//
//   npx tsx bench/worker-idle-rss.ts [--idle-seconds 30]
//
// Spawns `node --import tsx server/main.ts` (temp data dir, SQLite, a free port on 127.0.0.1,
// LOG_LEVEL=warn), waits until GET /healthz answers, lets it idle and reads VmRSS from
// /proc/<pid>/status every second. For reference, the same is sampled at the same time for
// a bare `node -e 'setInterval(()=>{},1000)'` and for `node --import tsx bench/lib/idle.ts`
// (an empty TypeScript file through tsx), so the loader's own cost is visible.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BENCH_DIR, REPO_ROOT, fmtInt, intArg, machineInfo, parseArgs, round, table, writeResult } from './lib/common';
import { addCleanup, runBenchmark, runCleanups } from './lib/run';
import { cleanEnv, freePort, healthz, stop, track } from './lib/worker-process';

const args = parseArgs();
const IDLE_SECONDS = intArg(args, 'idle-seconds', 30);
const STARTUP_TIMEOUT_MS = 45_000;

interface ProcStatus {
  rssKiB: number;
  hwmKiB: number;
  threads: number;
}

function procStatus(pid: number): ProcStatus | null {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? NaN);
    return { rssKiB: field('VmRSS'), hwmKiB: field('VmHWM'), threads: field('Threads') };
  } catch {
    return null;
  }
}

interface Series {
  label: string;
  command: string;
  samplesMiB: number[];
  medianMiB: number;
  maxMiB: number;
  peakHwmMiB: number;
  threads: number;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

async function main(): Promise<void> {
  const m = machineInfo();
  console.log(`worker-idle-rss: VmRSS of the real worker process idling ${IDLE_SECONDS} s after /healthz answers (1 sample/s)`);
  console.log(`machine: ${m.cpus} CPU (${m.cpuModel}), ${m.memoryGiB} GiB, node ${m.node}, load ${m.loadAverage.join(' ')}`);

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-rss-'));
  addCleanup(() => rmSync(dataDir, { recursive: true, force: true }));
  const port = await freePort();
  const workerCommand = ['--import', 'tsx', 'server/main.ts'];
  const spawnedAt = performance.now();
  const worker = spawn(process.execPath, workerCommand, {
    cwd: REPO_ROOT,
    env: cleanEnv({ VIGIL_DATA_DIR: dataDir, WORKER_PORT: String(port), WORKER_HOST: '127.0.0.1', LOG_LEVEL: 'warn' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const workerOut = track(worker, 'worker');

  let ready = false;
  while (performance.now() - spawnedAt < STARTUP_TIMEOUT_MS && worker.exitCode === null) {
    if ((await healthz(port)) === 200) {
      ready = true;
      break;
    }
    await sleep(200);
  }
  if (!ready) throw new Error(`the worker did not answer /healthz within ${STARTUP_TIMEOUT_MS / 1000} s:\n${workerOut.output()}`);
  const startupMs = performance.now() - spawnedAt;
  console.log(`worker pid ${worker.pid} on 127.0.0.1:${port}: /healthz answered ${fmtInt(startupMs)} ms after spawn; idling ${IDLE_SECONDS} s…`);

  const refs: Array<{ label: string; command: string; child: ChildProcess }> = [
    {
      label: 'bare node (reference)',
      command: `node -e 'setInterval(()=>{},1000)'`,
      child: spawn(process.execPath, ['-e', 'setInterval(()=>{},1000)'], { stdio: 'ignore', env: cleanEnv({}) }),
    },
    {
      label: 'node --import tsx, empty .ts (reference)',
      command: 'node --import tsx bench/lib/idle.ts',
      child: spawn(process.execPath, ['--import', 'tsx', path.join(BENCH_DIR, 'lib', 'idle.ts')], { cwd: REPO_ROOT, stdio: 'ignore', env: cleanEnv({}) }),
    },
  ];
  for (const r of refs) track(r.child, r.label);

  const targets = [{ label: 'Vigil worker', command: `node ${workerCommand.join(' ')}`, child: worker }, ...refs];
  const samples = targets.map(() => [] as number[]);
  const start = performance.now();
  for (let s = 1; s <= IDLE_SECONDS; s++) {
    await sleep(Math.max(0, start + s * 1000 - performance.now()));
    targets.forEach((t, i) => {
      const st = procStatus(t.child.pid!);
      if (st) samples[i].push(st.rssKiB / 1024);
    });
    if (worker.exitCode !== null) throw new Error(`the worker exited while idling:\n${workerOut.output()}`);
  }
  const stillHealthy = (await healthz(port)) === 200;

  const series: Series[] = targets.map((t, i) => {
    const st = procStatus(t.child.pid!);
    return {
      label: t.label,
      command: t.command,
      samplesMiB: samples[i].map((v) => round(v, 1)),
      medianMiB: round(median(samples[i]), 1),
      maxMiB: round(Math.max(...samples[i]), 1),
      peakHwmMiB: round((st?.hwmKiB ?? NaN) / 1024, 1),
      threads: st?.threads ?? NaN,
    };
  });
  const workerExit = await stop(worker);
  await runCleanups();

  console.log('');
  console.log(
    table(
      ['process', 'median RSS', 'max RSS', 'peak (VmHWM)', 'threads', 'samples'],
      series.map((s) => [s.label, `${s.medianMiB} MB`, `${s.maxMiB} MB`, `${s.peakHwmMiB} MB`, s.threads, s.samplesMiB.length]),
    ),
  );
  const [w, bare, tsx] = series;
  console.log(
    `\nworker above bare node: ${round(w.medianMiB - bare.medianMiB, 1)} MB; tsx loader alone: ${round(tsx.medianMiB - bare.medianMiB, 1)} MB; ` +
      `worker above an empty tsx process: ${round(w.medianMiB - tsx.medianMiB, 1)} MB`,
  );
  console.log(`(MB = MiB, from /proc/<pid>/status VmRSS; /healthz still 200 at the end: ${stillHealthy}; worker exit code after SIGTERM: ${workerExit})`);
  const file = writeResult('worker-idle-rss', {
    config: { idleSeconds: IDLE_SECONDS, sampleEverySeconds: 1, logLevel: 'warn', database: 'sqlite (temp data dir)' },
    startupMs: Math.round(startupMs),
    stillHealthy,
    workerExitCode: workerExit,
    series,
  });
  console.log(`result: ${path.relative(process.cwd(), file)}`);
}

runBenchmark({ name: 'worker-idle-rss', main });
