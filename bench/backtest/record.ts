// npx tsx bench/backtest/record.ts  (root: it mounts tmpfs volumes)
// Records real faults on this machine into recorded.json, in the format run.ts replays.
// Time is compressed: ONE REAL SECOND STANDS FOR ONE SIMULATED MINUTE. Every series is sampled
// once per real second for 180 seconds, so a 180-minute series takes three minutes; all of them
// record at once. What is measured is real (statfs on a tmpfs, RSS from /proc, loopback request
// latency and status codes, process exits); only the fault's shape (when it starts, how fast it
// grows) is scripted, and the failure minute is taken from the measurements, not from the script.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BacktestSeries } from './series';

const MINUTE_MS = 1000;
const MINUTES = 180;
/** The worker's memory capacity (server/forecast/collect.ts MEMORY_LIMIT): OOM at 95 % of the limit. */
const MEMORY_CAPACITY = 95;
const MEMORY_LIMIT_MIB = 256;
const DISK_MIB = 64;
/** The worker's default latency factor and error-rate threshold (server/forecast/collect.ts). */
const LATENCY_FACTOR = 2;
const ERROR_THRESHOLD = 5;
/** Latency baseline: the median P95 of these first minutes, before any fault starts. */
const BASELINE_MINUTES = 30;

const round2 = (v: number) => Math.round(v * 100) / 100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const minuteOf = (start: number, at: number) => Math.floor((at - start) / MINUTE_MS);

// Children are plain node scripts (no tsx) so they start fast and cost little CPU.
const DISK_WRITER = `
const c = JSON.parse(process.argv[1]); const fs = require('fs'); const p = require('path'); const MiB = 1 << 20;
fs.writeFileSync(p.join(c.dir, 'data.bin'), Buffer.alloc(c.dataMiB * MiB, 1));
const file = p.join(c.dir, 'app.log'); let size = 0;
setInterval(() => {
  const faulty = c.onset !== null && (Date.now() - c.start) / c.minuteMs >= c.onset;
  const perMinute = faulty ? c.faultMiBPerMinute : c.logMiBPerMinute;
  const bytes = Math.round(perMinute * MiB * (c.tickMs / c.minuteMs) * (0.4 + 1.2 * Math.random()));
  try { fs.appendFileSync(file, Buffer.alloc(bytes, 97)); size += bytes; } catch { /* ENOSPC once full: keep trying, as a runaway logger does */ }
  // Rotation keeps the log bounded; the fault is that rotation stopped while logging sped up.
  if (!faulty && size >= c.rotateMiB * MiB) { fs.rmSync(file, { force: true }); size = 0; }
}, c.tickMs);`;

const MEMORY_HOG = `
const c = JSON.parse(process.argv[1]); const MiB = 1 << 20;
const cache = []; for (let i = 0; i < c.cacheMiB; i++) cache.push(Buffer.alloc(MiB, 1));
const leaked = []; let garbage = [];
setInterval(() => {
  // Request-shaped garbage: the heap grows and the collector gives it back, which is the noise.
  garbage = Array.from({ length: 3000 + Math.floor(Math.random() * 12000) }, (_, i) => ({ i, s: 'x'.repeat(20 + (i % 60)) }));
  if (c.onset !== null && (Date.now() - c.start) / c.minuteMs >= c.onset) {
    leaked.push(Buffer.alloc(Math.round(c.leakMiBPerMinute * MiB * (c.tickMs / c.minuteMs) * (0.3 + 1.4 * Math.random())), 1));
  }
}, c.tickMs);`;

const HTTP_SERVER = `
const c = JSON.parse(process.argv[1]); const http = require('http');
const server = http.createServer((req, res) => {
  const minute = (Date.now() - c.start) / c.minuteMs;
  const into = c.onset !== null && minute > c.onset ? minute - c.onset : 0;
  const delay = c.baseMs * (0.6 + 0.8 * Math.random()) + (Math.random() < 0.03 ? 2 * c.baseMs * Math.random() : 0) + into * c.growMsPerMinute;
  const failing = Math.random() * 100 < c.errorPct + into * c.errorGrowPctPerMinute;
  setTimeout(() => { res.writeHead(failing ? 500 : 200); res.end('ok'); }, delay);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));`;

const CRASHER = 'setTimeout(() => process.exit(1), Number(process.argv[1]));';

// Everything that must not outlive the script, cleaned up on every exit path.
const children = new Set<ChildProcess>();
const mounts: string[] = [];
let workDir: string | null = null;

function startChild(code: string, arg: string): ChildProcess {
  const child = spawn(process.execPath, ['-e', code, arg], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await Promise.race([exited, sleep(2000)]);
}

function unmount(dir: string, lazy: boolean): void {
  try {
    execFileSync('umount', lazy ? ['-l', dir] : [dir], { stdio: 'ignore' });
  } catch {
    // Busy (a child still holds a file): detach now, the kernel frees it when the holder goes.
    if (!lazy) unmount(dir, true);
  }
}

/** Synchronous, so it also runs from signal and exit handlers; safe to call twice. */
function cleanupSync(): void {
  for (const child of children) child.kill('SIGKILL');
  while (mounts.length) unmount(mounts.pop()!, false);
  if (workDir) rmSync(workDir, { recursive: true, force: true });
  workDir = null;
}

async function cleanup(): Promise<void> {
  await Promise.all([...children].map(stopChild));
  cleanupSync();
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    cleanupSync();
    process.exit(1);
  });
}
process.on('exit', cleanupSync);

interface Recorder {
  /** Called once per simulated minute, at its end. */
  sample(minute: number): void;
  finish(): BacktestSeries;
}

function diskRecorder(name: string, start: number, onset: number | null): Recorder {
  const dir = path.join(workDir!, name);
  mkdirSync(dir);
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${DISK_MIB}m`, 'tmpfs', dir]);
  mounts.push(dir);
  const config = { dir, start, onset, minuteMs: MINUTE_MS, tickMs: 100, dataMiB: 24, logMiBPerMinute: 0.06, rotateMiB: 2, faultMiBPerMinute: 0.4 };
  const child = startChild(DISK_WRITER, JSON.stringify(config));
  const values: number[] = [];
  let failureAt: number | null = null;
  return {
    sample(minute) {
      const fs = statfsSync(dir);
      const used = (100 * (fs.blocks - fs.bfree)) / fs.blocks;
      values.push(round2(used));
      if (onset !== null && failureAt === null && used >= 99.9) {
        failureAt = minute;
        void stopChild(child);
      }
    },
    finish: () => ({
      id: `recorded-${name}`,
      kind: 'disk',
      failureAt,
      capacity: 100,
      values,
      source: `${DISK_MIB} MiB tmpfs, statfs used % once per simulated minute (1 s real = 1 min); 24 MiB data plus a rotated log${onset === null ? '' : `; from minute ${onset} rotation stops and logging reaches ~0.4 MiB/min; failure = full (>= 99.9 %)`}`,
    }),
  };
}

function memoryRecorder(name: string, start: number, onset: number | null): Recorder {
  const config = { start, onset, minuteMs: MINUTE_MS, tickMs: 100, cacheMiB: 48, leakMiBPerMinute: 1.5 };
  const child = startChild(MEMORY_HOG, JSON.stringify(config));
  const values: number[] = [];
  let failureAt: number | null = null;
  let stopped = false;
  return {
    sample(minute) {
      if (stopped) return;
      let rssKiB: number;
      try {
        rssKiB = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? NaN);
      } catch {
        rssKiB = NaN;
      }
      if (!Number.isFinite(rssKiB)) throw new Error(`memory child ${name} is gone at minute ${minute}`);
      const pct = (100 * rssKiB) / 1024 / MEMORY_LIMIT_MIB;
      values.push(round2(pct));
      // At the limit an OOM killer would end the process; so does the recorder.
      if (onset !== null && pct >= MEMORY_CAPACITY) {
        failureAt = minute;
        stopped = true;
        void stopChild(child);
      }
    },
    finish: () => ({
      id: `recorded-${name}`,
      kind: 'memory',
      failureAt,
      capacity: MEMORY_CAPACITY,
      values,
      source: `node child RSS from /proc/<pid>/status as % of a ${MEMORY_LIMIT_MIB} MiB limit, once per simulated minute (1 s real = 1 min); 48 MiB cache plus GC churn${onset === null ? '' : `; from minute ${onset} it retains ~1.5 MiB/min; failure = RSS at ${MEMORY_CAPACITY} % (the worker's OOM capacity), child killed there`}`,
    }),
  };
}

interface Request {
  minute: number;
  ms: number;
  ok: boolean;
}

/** A loopback server child and a client firing at a fixed rate; every response is kept. */
async function httpRecorder(name: string, kind: 'latency' | 'errors', start: number, onset: number | null): Promise<Recorder> {
  const config =
    kind === 'latency'
      ? { start, onset, minuteMs: MINUTE_MS, baseMs: 15, growMsPerMinute: 0.5, errorPct: 0, errorGrowPctPerMinute: 0 }
      : { start, onset, minuteMs: MINUTE_MS, baseMs: 2, growMsPerMinute: 0, errorPct: 0.5, errorGrowPctPerMinute: 0.09 };
  const child = startChild(HTTP_SERVER, JSON.stringify(config));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (chunk: Buffer) => resolve(Number(String(chunk).trim())));
    child.once('exit', () => reject(new Error(`server ${name} exited before listening`)));
  });
  const perSecond = kind === 'latency' ? 20 : 100;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const requests: Request[] = [];
  const fire = () => {
    const sent = Date.now();
    const minute = minuteOf(start, sent);
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
      res.resume();
      res.on('end', () => requests.push({ minute, ms: Date.now() - sent, ok: res.statusCode === 200 }));
    });
    // A refused or reset request is an error too.
    req.on('error', () => requests.push({ minute, ms: Date.now() - sent, ok: false }));
  };
  const batch = perSecond / 20;
  const timer = setInterval(() => {
    for (let i = 0; i < batch; i++) fire();
  }, 50);
  return {
    sample: (minute) => {
      if (minute === MINUTES - 1) {
        clearInterval(timer);
        agent.destroy();
      }
    },
    finish() {
      const values: number[] = [];
      for (let minute = 0; minute < MINUTES; minute++) {
        const mine = requests.filter((r) => r.minute === minute);
        if (kind === 'errors') values.push(round2(mine.length ? (100 * mine.filter((r) => !r.ok).length) / mine.length : 0));
        else {
          const sorted = mine.map((r) => r.ms).sort((a, b) => a - b);
          values.push(sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)] : 0);
        }
      }
      const early = values.slice(0, BASELINE_MINUTES).sort((a, b) => a - b);
      const baseline = kind === 'latency' ? early[early.length >> 1] : early.reduce((a, b) => a + b, 0) / early.length;
      const threshold = kind === 'latency' ? baseline * LATENCY_FACTOR : ERROR_THRESHOLD;
      const crossing = values.findIndex((v, i) => i >= (onset ?? 0) && v >= threshold);
      if (onset === null && crossing >= 0)
        console.warn(`${name}: healthy series crossed its threshold at minute ${crossing}; kept as healthy, the fault was not injected`);
      const base = `loopback HTTP, ${perSecond} req/s real (1 s real = 1 min)`;
      return {
        id: `recorded-${name}`,
        kind,
        failureAt: onset === null || crossing < 0 ? null : crossing,
        baseline: round2(baseline),
        threshold: round2(threshold),
        values,
        source:
          kind === 'latency'
            ? `${base}, P95 of the minute's requests; handler waits ~15 ms with jitter; baseline = median P95 of minutes 0-${BASELINE_MINUTES - 1}${onset === null ? '' : `; from minute ${onset} the wait grows 0.5 ms/min; failure = P95 over ${LATENCY_FACTOR}x baseline`}`
            : `${base}, % of the minute's requests answered 500 or failed; ~0.5 % errors${onset === null ? '' : `; from minute ${onset} the error chance grows 0.09 %/min; failure = over ${ERROR_THRESHOLD} %`}`,
      };
    },
  };
}

/** A supervised child that exits by itself; the supervisor restarts it and notes the minute. */
function restartRecorder(name: string, start: number, onset: number | null): Recorder {
  const restarts: number[] = [];
  // Healthy lifetimes: restarts now and then, like the generated healthy series.
  let healthyGap = 45 + Math.random() * 95;
  let loopGap = 12;
  let running = true;
  const launch = () => {
    const now = (Date.now() - start) / MINUTE_MS;
    let lifetime: number;
    if (onset !== null && now >= onset - 0.5) {
      lifetime = loopGap * (0.85 + 0.3 * Math.random());
      loopGap = Math.max(1, loopGap * 0.7);
    } else {
      lifetime = onset !== null ? Math.min(healthyGap, onset - now) : healthyGap;
      healthyGap = 45 + Math.random() * 95;
    }
    const child = startChild(CRASHER, String(Math.round(lifetime * MINUTE_MS)));
    child.once('exit', () => {
      if (!running) return;
      restarts.push(minuteOf(start, Date.now()));
      launch();
    });
  };
  launch();
  return {
    sample(minute) {
      if (minute === MINUTES - 1) running = false;
    },
    finish() {
      const values = [...new Set(restarts.filter((m) => m < MINUTES))].sort((a, b) => a - b);
      let failureAt: number | null = null;
      // The engine's budget (5 restarts within 30 minutes), as evaluate.ts applies it.
      if (onset !== null)
        for (let i = 4; i < values.length; i++)
          if (values[i] - values[i - 4] <= 30) {
            failureAt = values[i];
            break;
          }
      return {
        id: `recorded-${name}`,
        kind: 'restarts',
        failureAt,
        values,
        source: `minutes at which a supervised node child exited and was restarted (1 s real = 1 min); it exits every 45-140 min${onset === null ? '' : `; from minute ${onset} lifetimes shrink from ~12 min by 0.7x each; failure = 5th restart within 30 min`}`,
      };
    },
  };
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('run as root: the disk series need a tmpfs mount');
  workDir = mkdtempSync(path.join(os.tmpdir(), 'vigil-record-'));
  // The start lies a moment ahead so every child has started before minute 0.
  const start = Date.now() + 1500;
  const recorders = [
    diskRecorder('disk-fill', start, 50),
    diskRecorder('disk-healthy', start, null),
    memoryRecorder('memory-leak', start, 40),
    memoryRecorder('memory-healthy', start, null),
    await httpRecorder('latency-degradation', 'latency', start, 60),
    await httpRecorder('latency-healthy', 'latency', start, null),
    await httpRecorder('error-spike', 'errors', start, 70),
    await httpRecorder('errors-healthy', 'errors', start, null),
    restartRecorder('crash-loop', start, 60),
    restartRecorder('restarts-healthy', start, null),
  ];
  // Sampling at absolute times, so a slow tick does not shift every later minute.
  for (let minute = 0; minute < MINUTES; minute++) {
    await sleep(start + (minute + 1) * MINUTE_MS - Date.now());
    for (const recorder of recorders) recorder.sample(minute);
    if (minute % 30 === 29) console.log(`minute ${minute + 1}/${MINUTES}`);
  }
  // Let the last minute's requests come back.
  await sleep(1000);
  await cleanup();
  const series = recorders.map((r) => r.finish());
  const recordedAt = new Date().toISOString().slice(0, 10);
  const out = series.map((s) => ({ ...s, source: `${os.cpus().length}-core ${os.platform()} ${recordedAt}: ${s.source}` }));
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'recorded.json');
  writeFileSync(file, `${JSON.stringify(out)}\n`);
  for (const s of out) console.log(`${s.id!.padEnd(30)} ${s.kind.padEnd(8)} failureAt ${s.failureAt ?? '-'}  points ${s.values.length}`);
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(cleanupSync);
