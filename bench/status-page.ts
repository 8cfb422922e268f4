// A status page of 50 modules with 90 days of daily roll-ups and a busy 24 h of state changes,
// read through the real worker's HTTP route as the web app reads it: the cached answer (what
// nearly every visitor gets), and the build behind it (once per page per 15 s), side by side in
// the same run with the worker's /healthz as the anchor. Rounds interleave; medians reported.
import { writeFileSync } from 'node:fs';
import { internalToken } from '@/server/auth/keys';
import { StatusPageService } from '@/server/status-pages';
import { createLogger } from '@/server/log';
import { makeTempDir } from '@/server/test-support/temp-dir';
import { startTestWorker } from '@/server/test-support/test-worker';
import { TEST_SECRET } from '@/server/test-support/worker-env';
import { distribution, monoMs } from './lib/common';

const MODULES = 50;
const ROUNDS = 5;
const PER_ROUND = 200;

const dir = makeTempDir('vigil-bench-status-');
const names = Array.from({ length: MODULES }, (_, i) => `svc-${i}`);
const configPath = dir.join('vigil.config.yaml');
writeFileSync(
  configPath,
  `statusPages:\n  - slug: bench\n    title: Bench\n    modules: [${names.map((n) => `{ module: ${n}, label: "Service ${n}" }`).join(', ')}]\n`,
);
const t = await startTestWorker({ vars: { VIGIL_CONFIG: configPath } });
const prisma = t.worker.database.prisma;
const now = Date.now();
await prisma.moduleDailyStat.createMany({
  data: names.flatMap((module) =>
    Array.from({ length: 90 }, (_, d) => ({
      module,
      day: new Date(now - d * 86_400_000).toISOString().slice(0, 10),
      probes: 1440,
      failures: d % 7,
      upMs: 86_000_000,
      downMs: 400_000,
      latencySumMs: 1440 * (40 + (d % 11)),
    })),
  ),
});
await prisma.moduleStateChange.createMany({
  data: names.flatMap((module) =>
    Array.from({ length: 48 }, (_, k) => ({
      module,
      at: new Date(now - k * 1_800_000 - 1000),
      from: k % 2 ? 'up' : 'down',
      to: k % 2 ? 'down' : 'up',
      reason: 'bench',
    })),
  ),
});

const token = internalToken(TEST_SECRET);
const base = `http://127.0.0.1:${t.port}`;
async function timed(path: string, auth: boolean, retried = false): Promise<number> {
  const started = monoMs();
  try {
    const response = await fetch(base + path, { headers: auth ? { authorization: `Bearer ${token}` } : {} });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${path}: ${response.status}`);
  } catch (error) {
    // A kept-alive connection the server closed as it was reused: the request never reached it.
    if (!retried && (error as { cause?: { code?: string } }).cause?.code === 'ECONNRESET') return timed(path, auth, true);
    throw error;
  }
  return monoMs() - started;
}

// The build alone, as a cache miss runs it: a clock that moves past the cache on every call.
let clock = now;
const uncached = new StatusPageService({
  database: t.worker.database,
  audit: { append: async () => ({}) as never },
  log: createLogger('bench', 'error'),
  configPages: () => t.worker.config.loaded.config.statusPages,
  moduleStates: async () => new Map(),
  now: () => new Date((clock += 60_000)),
});

const cached: number[] = [];
const anchor: number[] = [];
const builds: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  for (let i = 0; i < PER_ROUND; i++) {
    cached.push(await timed('/internal/v1/status-pages/bench/public', true));
    anchor.push(await timed('/healthz', false));
  }
  for (let i = 0; i < 20; i++) {
    const started = monoMs();
    await uncached.publicView('bench');
    builds.push(monoMs() - started);
  }
}
await t.destroy();
dir.remove();
const show = (name: string, values: number[]) => {
  const d = distribution(values);
  console.log(`${name.padEnd(34)} n=${d.count} p50=${d.p50.toFixed(2)} ms p95=${d.p95.toFixed(2)} ms`);
};
show('anchor GET /healthz', anchor);
show('status page, cached (HTTP)', cached);
show('status page, build on a miss', builds);
