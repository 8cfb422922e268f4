// Generates the backtest's series: failures with known onset and failure minute, and healthy
// series that look alarming (noise, daily-like waves, log-rotation steps, spikes, slow growth).
// Seeded, so `tsx bench/backtest/generate.ts` rewrites the committed files byte for byte.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BacktestSeries, SeriesKind } from './series';

/** mulberry32: a tiny seeded PRNG, good enough for test data. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MINUTES = 180;
const round2 = (v: number) => Math.round(v * 100) / 100;

function gauss(random: () => number): number {
  return Math.sqrt(-2 * Math.log(Math.max(random(), 1e-12))) * Math.cos(2 * Math.PI * random());
}

function between(random: () => number, lo: number, hi: number): number {
  return lo + (hi - lo) * random();
}

/** A healthy-looking base: level, noise, a slow wave and now and then a spike. */
function base(random: () => number, level: number, noise: number, wave: number): number[] {
  const period = between(random, 40, 150);
  const phase = between(random, 0, 2 * Math.PI);
  return Array.from(
    { length: MINUTES },
    (_, i) => level + wave * Math.sin((2 * Math.PI * i) / period + phase) + noise * gauss(random) + (random() < 0.01 ? noise * 6 : 0),
  );
}

function firstOver(values: number[], limit: number, from: number): number | null {
  for (let i = from; i < values.length; i++) if (values[i] >= limit) return i;
  return null;
}

function growth(random: () => number, kind: 'disk' | 'memory', failing: boolean): BacktestSeries {
  const capacity = kind === 'disk' ? 100 : 95;
  const level = between(random, 35, 70);
  const noise = kind === 'disk' ? between(random, 0.05, 0.4) : between(random, 0.5, 2);
  const values = base(random, level, noise, kind === 'memory' ? between(random, 0, 3) : 0);
  // A log rotation or a cache drop: the level falls, the trend before it must not count.
  if (random() < 0.4) {
    const at = Math.floor(between(random, 20, 120));
    const drop = between(random, 5, 15);
    for (let i = at; i < MINUTES; i++) values[i] -= drop;
  }
  const onset = Math.floor(between(random, 20, 100));
  const room = capacity - values[onset];
  const slope = failing ? room / between(random, 35, MINUTES - onset - 5) : between(random, 0, 0.004);
  for (let i = onset; i < MINUTES; i++) values[i] += slope * (i - onset);
  const failureAt = failing ? firstOver(values, capacity, onset) : null;
  return { kind, failureAt, capacity, values: values.map((v) => round2(Math.min(v, capacity + 1))) };
}

function rising(random: () => number, kind: 'latency' | 'errors', failing: boolean): BacktestSeries {
  const baseline = kind === 'latency' ? between(random, 40, 250) : between(random, 0.2, 1.2);
  const threshold = kind === 'latency' ? baseline * 2 : 5;
  const noise = baseline * between(random, 0.05, 0.15);
  const values = base(random, baseline, noise, baseline * between(random, 0, 0.2)).map((v) => Math.max(0, v));
  const onset = Math.floor(between(random, 40, 120));
  // Most degradations creep (a slow query, a filling queue); about one in five is abrupt.
  const abrupt = random() < 0.2;
  const rampMinutes = abrupt ? between(random, 1, 4) : between(random, 25, 60);
  if (failing) {
    const peak = threshold * between(random, 1.3, 2);
    for (let i = onset; i < MINUTES; i++) values[i] += (peak - baseline) * Math.min(1, ((i - onset) / rampMinutes) ** 1.5);
  } else if (random() < 0.5) {
    // A short burst that recovers by itself: not a failure.
    for (let i = onset; i < Math.min(MINUTES, onset + 3); i++) values[i] += (threshold - baseline) * 0.6;
  }
  const failureAt = failing ? firstOver(values, threshold, onset) : null;
  return { kind, failureAt, baseline: round2(baseline), threshold: round2(threshold), values: values.map(round2) };
}

function restarts(random: () => number, failing: boolean): BacktestSeries {
  const times: number[] = [];
  // Healthy modules restart now and then (deploys, a rare crash).
  for (let t = between(random, 5, 60); t < MINUTES; t += between(random, 45, 140)) times.push(Math.floor(t));
  let failureAt: number | null = null;
  if (failing) {
    let t = Math.floor(between(random, 40, 110));
    let gap = between(random, 8, 16);
    const loop: number[] = [];
    while (t < MINUTES && loop.length < 8) {
      loop.push(Math.floor(t));
      t += gap;
      gap = Math.max(1, gap * between(random, 0.55, 0.85));
    }
    times.push(...loop);
    times.sort((a, b) => a - b);
    // The budget: 5 restarts within 30 minutes, then the engine escalates to people.
    for (let i = 4; i < times.length; i++)
      if (times[i] - times[i - 4] <= 30) {
        failureAt = times[i];
        break;
      }
  }
  return { kind: 'restarts', failureAt, values: [...new Set(times)].sort((a, b) => a - b) };
}

export function generateSet(seed: number, perKind: number): BacktestSeries[] {
  const random = rng(seed);
  const out: BacktestSeries[] = [];
  const kinds: SeriesKind[] = ['disk', 'memory', 'latency', 'errors', 'restarts'];
  for (const kind of kinds) {
    for (let i = 0; i < perKind * 2; i++) {
      const failing = i % 2 === 0;
      const series =
        kind === 'disk' || kind === 'memory' ? growth(random, kind, failing) : kind === 'restarts' ? restarts(random, failing) : rising(random, kind, failing);
      if (failing && series.failureAt === null) continue;
      out.push(series);
    }
  }
  return out.map((s, i) => ({ ...s, id: `${seed}-${i}-${s.kind}${s.failureAt === null ? '-healthy' : ''}` }));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const dir = path.dirname(fileURLToPath(import.meta.url));
  writeFileSync(path.join(dir, 'train.json'), `${JSON.stringify(generateSet(1, 8))}\n`);
  // A different seed: the held-out set is never looked at while tuning.
  writeFileSync(path.join(dir, 'holdout.json'), `${JSON.stringify(generateSet(20261123, 8))}\n`);
  console.log('wrote train.json and holdout.json');
}
