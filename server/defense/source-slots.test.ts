import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIOS, scenarioSchema } from '@/lib/defense/defense-config';
import { parseIpv4 } from '@/lib/defense/ip-prefix';
import type { SecuritySignal } from '@/lib/defense/signals';
import { Detectors } from './detectors';
import { SlotIndex, WindowCounters } from './source-slots';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const MINUTE = 60_000;

describe('SlotIndex', () => {
  it('gives each key one slot, shared by every counter, and grows the counters with it', () => {
    const index = new SlotIndex();
    const a = index.counter(MINUTE, false);
    const b = index.counter(10 * MINUTE, true);
    index.attach([a, b]);
    const slots = Array.from({ length: 5000 }, (_, i) => index.slot(i, T0));
    expect(new Set(slots).size).toBe(5000);
    expect(index.slot(4999, T0)).toBe(slots[4999]);
    expect(index.slot('user-1', T0)).toBe(5000);
    expect(index.size).toBe(5001);
    // Both counters hold every slot after the index grew past its first size.
    a.count(slots[4999], T0);
    a.add(slots[4999]);
    expect(a.count(slots[4999], T0)).toBe(1);
    expect(b.cells.length).toBe(a.cells.length);
    expect(a.cells.length).toBeGreaterThanOrEqual(5001 * 4);
  });

  it('frees a slot only when every counter is idle, and a reused slot starts from zero', () => {
    const index = new SlotIndex();
    const short = index.counter(MINUTE, false);
    const long = index.counter(10 * MINUTE, true);
    index.attach([short, long]);
    const slot = index.slot(7, T0);
    short.count(slot, T0);
    short.add(slot);
    long.count(slot, T0);
    long.firstSeen(slot, '/a');
    long.add(slot);
    // Two minutes on: the short window forgot it, the ten-minute one has not.
    index.sweep(T0 + 2 * MINUTE);
    expect(index.size).toBe(1);
    index.sweep(T0 + 30 * MINUTE);
    expect(index.size).toBe(0);
    const reused = index.slot(8, T0 + 30 * MINUTE);
    expect(reused).toBe(slot);
    expect(long.count(reused, T0 + 30 * MINUTE)).toBe(0);
    expect(long.firstSeen(reused, '/a')).toBe(true);
    expect(short.quietUntil(reused)).toBe(0);
  });

  it('keeps a slot through its quiet time even with nothing counted', () => {
    const index = new SlotIndex();
    const counter = index.counter(MINUTE, false);
    index.attach([counter]);
    const slot = index.slot(1, T0);
    counter.restartQuiet(slot, T0 + 5 * MINUTE);
    index.sweep(T0 + 3 * MINUTE);
    expect(index.size).toBe(1);
    index.sweep(T0 + 5 * MINUTE);
    expect(index.size).toBe(0);
  });

  it('sweeps within a budget, carrying on where it stopped', () => {
    const index = new SlotIndex();
    index.attach([index.counter(MINUTE, false)]);
    for (let i = 0; i < 100; i++) index.slot(i, T0);
    index.sweep(T0 + 10 * MINUTE, 30);
    expect(index.size).toBe(70);
    index.sweep(T0 + 10 * MINUTE, 30);
    index.sweep(T0 + 10 * MINUTE, 30);
    expect(index.size).toBe(10);
    index.sweep(T0 + 10 * MINUTE, 30);
    expect(index.size).toBe(0);
  });

  it('at its cap, drops idle keys before giving out a new slot', () => {
    const index = new SlotIndex(10);
    const counter = index.counter(MINUTE, false);
    index.attach([counter]);
    for (let i = 0; i < 10; i++) {
      const slot = index.slot(i, T0);
      if (i < 3) {
        counter.count(slot, T0);
        counter.add(slot);
      }
    }
    index.slot('late', T0 + 1000);
    // The three with counts stay, the seven idle ones went.
    expect(index.size).toBe(4);
  });
});

describe('WindowCounters.firstSeen', () => {
  it('holds one value as text and many in a Set, forgetting them when the window rolls', () => {
    const counter = new WindowCounters(MINUTE, 4, true);
    counter.count(0, T0);
    expect([counter.firstSeen(0, '/a'), counter.firstSeen(0, '/a'), counter.firstSeen(0, '/b'), counter.firstSeen(0, '/a')]).toEqual([
      true,
      false,
      true,
      false,
    ]);
    expect(counter.firstSeen(0, '/c')).toBe(true);
    expect(counter.firstSeen(0, '/c')).toBe(false);
    counter.count(0, T0 + MINUTE);
    expect(counter.firstSeen(0, '/a')).toBe(true);
  });
});

/** The sliding-window algorithm written plainly, one object per scenario and key: what the slots must agree with. */
function referenceDetector(scenario: { capacity: number; windowSeconds: number; blackholeSeconds: number; distinct?: 'path' }) {
  const windowMs = scenario.windowSeconds * 1000;
  const buckets = new Map<string, { start: number; current: number; previous: number; quiet: number; seen: Set<string> }>();
  return (source: string, path: string, now: number): boolean => {
    const windowStart = now - (now % windowMs);
    let b = buckets.get(source);
    if (!b) buckets.set(source, (b = { start: windowStart, current: 0, previous: 0, quiet: 0, seen: new Set() }));
    if (b.start !== windowStart) {
      b.previous = windowStart - b.start === windowMs ? b.current : 0;
      b.current = 0;
      b.start = windowStart;
      b.seen.clear();
    }
    const before = b.previous * (1 - (now - windowStart) / windowMs) + b.current;
    if (scenario.distinct) {
      if (b.seen.has(path)) return false;
      b.seen.add(path);
    }
    b.current += 1;
    if (before + 1 < scenario.capacity - 1e-9 || now < b.quiet) return false;
    b.quiet = now + scenario.blackholeSeconds * 1000;
    b.current = 0;
    b.previous = 0;
    b.seen.clear();
    return true;
  };
}

describe('Detectors on slots', () => {
  it('fire exactly where one object per scenario and key would, over a random mix of sources and paths', () => {
    const scenarios = [
      scenarioSchema.parse({ name: 'fast', kinds: ['request'], capacity: 20, windowSeconds: 10, blackholeSeconds: 5, level: 'high' }),
      scenarioSchema.parse({ name: 'slow', kinds: ['request'], capacity: 60, windowSeconds: 60, level: 'critical' }),
      scenarioSchema.parse({ name: 'paths', kinds: ['request'], capacity: 15, windowSeconds: 30, distinct: 'path', level: 'high' }),
    ];
    // Few keys, so the sweep below frees and reuses slots while counting goes on.
    const detectors = new Detectors(scenarios, () => 1);
    const references = scenarios.map((s) => referenceDetector(s));
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    const fired: string[] = [];
    const expected: string[] = [];
    let now = T0;
    for (let i = 0; i < 40_000; i++) {
      now += Math.floor(random() * 40);
      const source = `198.51.100.${Math.floor(random() * 30)}`;
      const path = `/p${Math.floor(random() * 25)}`;
      const signal: SecuritySignal = { kind: 'request', source, path, origin: 'test', at: now };
      for (const o of detectors.observe(signal)) fired.push(`${i} ${o.scenario.name} ${o.key}`);
      scenarios.forEach((s, n) => {
        if (references[n](source, path, now)) expected.push(`${i} ${s.name} ${source}`);
      });
      if (i % 5000 === 4999) detectors.sweep(now);
    }
    expect(expected.length).toBeGreaterThan(100);
    expect(fired).toEqual(expected);
  });

  it('counts a source the guard parsed already the same as one parsed here', () => {
    const parsedHere = new Detectors(DEFAULT_SCENARIOS, () => 1);
    const parsedByCaller = new Detectors(DEFAULT_SCENARIOS, () => 1);
    const names = (d: Detectors, v4: number | null) =>
      Array.from({ length: 600 }, (_, i) =>
        d.observe({ kind: 'request', source: '203.0.113.77', path: '/x', origin: 'guard', at: T0 + i * 10 }, T0 + i * 10, v4),
      )
        .flat()
        .map((o) => `${o.scenario.name} ${o.key} ${o.source}`);
    const here = names(parsedHere, null);
    expect(here).toEqual(['rate-abuse 203.0.113.77 203.0.113.77', 'rate-abuse-critical 203.0.113.77 203.0.113.77']);
    expect(names(parsedByCaller, parseIpv4('203.0.113.77'))).toEqual(here);
  });

  it('keeps counting through a reload that adds a scenario grouping the same way', () => {
    const first = scenarioSchema.parse({ name: 'a', kinds: ['request'], capacity: 5000, level: 'high' });
    const added = scenarioSchema.parse({ name: 'b', kinds: ['request'], capacity: 3, level: 'high' });
    const d = new Detectors([first], () => 1);
    for (let i = 0; i < 2000; i++) d.observe({ kind: 'request', source: `10.1.${i >> 8}.${i & 255}`, origin: 'test', at: T0 });
    d.configure([first, added]);
    const keys = [0, 1, 2].flatMap((n) => d.observe({ kind: 'request', source: '10.1.7.207', origin: 'test', at: T0 + n }).map((o) => o.key));
    expect(keys).toEqual(['10.1.7.207']);
    expect(d.keyCount()).toBe(2000);
  });
});
