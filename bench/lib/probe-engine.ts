// Child process for bench/healing-http-2000.ts: a real HealingEngine with COUNT http modules
// spread over the target ports, probed every INTERVAL seconds. After WARMUP seconds it measures
// its own CPU time, RSS and the engine's per-probe scheduling drift for MEASURE seconds, then
// prints one JSON line "result {...}".
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { moduleSchema, type ModuleDefinition } from '@/lib/healing/module-schema';
import { distribution, roundDist } from './common';
import { startBenchEngine } from './bench-engine';

const ports = JSON.parse(process.env.TARGET_PORTS ?? '[]') as number[];
const COUNT = Number(process.env.COUNT ?? 2000);
const INTERVAL = Number(process.env.INTERVAL ?? 20);
const WARMUP = Number(process.env.WARMUP ?? 25);
const MEASURE = Number(process.env.MEASURE ?? 120);

const modules: ModuleDefinition[] = Array.from({ length: COUNT }, (_, i) =>
  moduleSchema.parse({
    name: `t${i}`,
    kind: 'http',
    url: `http://127.0.0.1:${ports[i % ports.length]}/target/${i}`,
    intervalSeconds: INTERVAL,
    timeoutSeconds: 5,
  }),
);
const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-probe-'));
// The benchmark stops this process with SIGTERM on a time limit or Ctrl-C: the temp dir goes too.
process.once('SIGTERM', () => {
  rmSync(dir, { recursive: true, force: true });
  process.exit(143);
});
const bench = await startBenchEngine({ dir, modules: () => modules, audited: true });
const drift = bench.engine.drift;

await sleep(WARMUP * 1000);
const up = bench.engine.list().filter((m) => m.state === 'up').length;
// The engine keeps at most 10,000 drift values and drops the oldest 5,000 at once: read the new ones as they come.
const measured: number[] = [];
let seen = drift.length;
let maxRss = 0;
const cpuBefore = process.cpuUsage();
const wallBefore = performance.now();
const until = wallBefore + MEASURE * 1000;
while (performance.now() < until) {
  await sleep(250);
  const from = drift.length < seen ? seen - 5000 : seen;
  measured.push(...drift.slice(from));
  seen = drift.length;
  maxRss = Math.max(maxRss, process.memoryUsage().rss);
}
const cpu = process.cpuUsage(cpuBefore);
const wallMs = performance.now() - wallBefore;
const stats = bench.engine.list();
const result = {
  modules: COUNT,
  intervalSeconds: INTERVAL,
  upAtStart: up,
  upAtEnd: stats.filter((m) => m.state === 'up').length,
  probes: measured.length,
  cpuPercentOfOneCore: Math.round(((cpu.user + cpu.system) / 1000 / wallMs) * 1000) / 10,
  cpuUserMs: Math.round(cpu.user / 1000),
  cpuSystemMs: Math.round(cpu.system / 1000),
  wallMs: Math.round(wallMs),
  driftMs: roundDist(distribution(measured), 1),
  maxRssMiB: Math.round((maxRss / 2 ** 20) * 10) / 10,
  memoryMiB: Object.fromEntries(Object.entries(process.memoryUsage()).map(([k, v]) => [k, Math.round(v / 2 ** 20)])),
};
console.log(`result ${JSON.stringify(result)}`);
await bench.close();
rmSync(dir, { recursive: true, force: true });
