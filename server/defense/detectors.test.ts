import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIOS, scenarioSchema } from '@/lib/defense/defense-config';
import type { SecuritySignal } from '@/lib/defense/signals';
import { Detectors } from './detectors';
import { isolationDurationMs } from './isolations';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const signal = (over: Partial<SecuritySignal>): SecuritySignal => ({ kind: 'request', source: '203.0.113.9', origin: 'test', at: T0, ...over });

/** Pours `n` signals spread evenly over `spanMs`; returns the scenarios that fired, in order. */
function pour(detectors: Detectors, n: number, spanMs: number, over: Partial<SecuritySignal> = {}): string[] {
  const fired: string[] = [];
  for (let i = 0; i < n; i++) {
    const at = T0 + Math.floor((i * spanMs) / n);
    for (const o of detectors.observe(signal({ ...over, at: over.at ?? at }))) fired.push(o.scenario.name);
  }
  return fired;
}

describe('Detectors with the default scenarios', () => {
  it('rate abuse: 100 requests in a minute warn, 500 are critical, 60/min is quiet', () => {
    expect(pour(new Detectors(DEFAULT_SCENARIOS, () => 1), 60, 60_000)).toEqual([]);
    expect(pour(new Detectors(DEFAULT_SCENARIOS, () => 1), 110, 10_000)).toEqual(['rate-abuse']);
    const burst = pour(new Detectors(DEFAULT_SCENARIOS, () => 1), 520, 30_000);
    expect(burst).toContain('rate-abuse');
    expect(burst).toContain('rate-abuse-critical');
  });

  it('brute force: the 5th failure warns and the 10th is critical, per address', () => {
    const d = new Detectors(DEFAULT_SCENARIOS, () => 1);
    const fired = (i: number) => d.observe(signal({ kind: 'auth_failure', user: `u${i}`, at: T0 + i * 1000 })).map((o) => o.scenario.name);
    const byAttempt = Array.from({ length: 10 }, (_, i) => fired(i));
    expect(byAttempt[3]).toEqual([]);
    expect(byAttempt[4]).toEqual(['brute-force']);
    expect(byAttempt[9]).toEqual(['brute-force-critical']);
    // Another address starts from zero.
    expect(d.observe(signal({ kind: 'auth_failure', source: '198.51.100.1', at: T0 + 11_000 }))).toEqual([]);
  });

  it('brute force per user across many addresses', () => {
    const d = new Detectors(DEFAULT_SCENARIOS, () => 1);
    const fired = Array.from({ length: 10 }, (_, i) =>
      d.observe(signal({ kind: 'auth_failure', source: `198.51.100.${i}`, user: 'admin', at: T0 + i })),
    ).flat();
    expect(fired.map((o) => [o.scenario.name, o.key])).toEqual([['brute-force-user', 'admin']]);
  });

  it('scanning: many 404s, or many distinct paths, but not one path repeated', () => {
    expect(pour(new Detectors(DEFAULT_SCENARIOS, () => 1), 30, 10_000, { status: 404 })).toContain('scan-not-found');
    const d = new Detectors(
      DEFAULT_SCENARIOS.filter((s) => s.name === 'scan-paths'),
      () => 1,
    );
    for (let i = 0; i < 200; i++) expect(d.observe(signal({ path: '/same', at: T0 + i }))).toEqual([]);
    const distinct = Array.from({ length: 150 }, (_, i) => d.observe(signal({ path: `/wp-admin/${i}.php`, at: T0 + 1000 + i }))).flat();
    expect(distinct.map((o) => o.scenario.name)).toEqual(['scan-paths']);
  });

  it('resource abuse needs the source to dominate the errors', () => {
    const scenarios = DEFAULT_SCENARIOS.filter((s) => s.name === 'resource-abuse');
    const shared = new Detectors(scenarios, () => 1);
    const names: string[] = [];
    for (let i = 0; i < 60; i++) {
      for (const source of ['192.0.2.1', '192.0.2.2', '192.0.2.3'])
        names.push(...shared.observe(signal({ kind: 'error', source, at: T0 + i * 100 })).map((o) => o.key));
    }
    expect(names).toEqual([]);
    const dominated = new Detectors(scenarios, () => 1);
    for (let i = 0; i < 60; i++) {
      names.push(...dominated.observe(signal({ kind: 'error', source: '192.0.2.9', at: T0 + i * 100 })).map((o) => o.key));
      if (i % 10 === 0) dominated.observe(signal({ kind: 'request', status: 503, source: '192.0.2.1', at: T0 + i * 100 }));
    }
    expect(names).toEqual(['192.0.2.9']);
  });

  it('a tighter capacity factor (ELEVATED) fires earlier', () => {
    expect(pour(new Detectors(DEFAULT_SCENARIOS, () => 0.5), 55, 10_000)).toEqual(['rate-abuse']);
  });

  it('stays quiet for the blackhole time after a threat; abuse that went on meanwhile fires as it ends', () => {
    const d = new Detectors(
      [scenarioSchema.parse({ name: 'x', kinds: ['request'], capacity: 3, windowSeconds: 600, level: 'high', blackholeSeconds: 60 })],
      () => 1,
    );
    const at = (s: number) => d.observe(signal({ at: T0 + s * 1000 })).length;
    expect([at(0), at(1), at(2)]).toEqual([0, 0, 1]);
    expect([at(3), at(4), at(5)]).toEqual([0, 0, 0]);
    expect([at(61), at(62), at(63)]).toEqual([0, 1, 0]);
  });

  it('groups by /24 and ignores signals without the group key', () => {
    const d = new Detectors([scenarioSchema.parse({ name: 'net', kinds: ['request'], groupBy: 'cidr24', capacity: 3, level: 'critical' })], () => 1);
    const keys = [1, 2, 3].flatMap((i) => d.observe(signal({ source: `198.51.100.${i}` })).map((o) => o.key));
    expect(keys).toEqual(['198.51.100.0/24']);
    expect(d.observe(signal({ source: 'not-an-ip' }))).toEqual([]);
  });

  it('counts an address however it is written, and names IPv4 and IPv6 sources as canonical text', () => {
    const d = new Detectors([scenarioSchema.parse({ name: 'per-ip', kinds: ['request'], capacity: 3, level: 'high' })], () => 1);
    const keys = ['203.0.113.200', '::ffff:203.0.113.200', '203.0.113.200'].flatMap((source) => d.observe(signal({ source })).map((o) => [o.key, o.source]));
    expect(keys).toEqual([['203.0.113.200', '203.0.113.200']]);
    const v6 = ['2001:db8::1', '2001:DB8:0::1', '2001:db8::0:1'].flatMap((source) => d.observe(signal({ source })).map((o) => [o.key, o.source]));
    expect(v6).toEqual([['2001:db8::1', '2001:db8::1']]);
    // Two addresses never share a bucket, whatever their numbers.
    expect(['255.255.255.255', '127.255.255.255', '255.255.255.255'].flatMap((source) => d.observe(signal({ source })))).toEqual([]);
  });

  it('sweeps buckets that leaked empty', () => {
    const d = new Detectors(DEFAULT_SCENARIOS, () => 1);
    for (let i = 0; i < 1000; i++) d.observe(signal({ source: `10.0.${i >> 8}.${i & 255}` }));
    expect(d.keyCount()).toBe(1000);
    d.sweep(T0 + 3_600_000);
    expect(d.keyCount()).toBe(0);
  });
});

describe('isolationDurationMs', () => {
  it('doubles from 4 h per repeat offence and caps at 7 days', () => {
    const config = { baseHours: 4, factor: 2, maxHours: 168 };
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => isolationDurationMs(n, config) / 3_600_000)).toEqual([4, 8, 16, 32, 64, 128, 168]);
  });
});

describe('resource abuse during a host spike', () => {
  it('counts a dominating source only while CPU or memory is over the limit', () => {
    const host = { cpuPercent: 20, memoryPercent: 30 };
    const spike = DEFAULT_SCENARIOS.filter((s) => s.name === 'resource-abuse-load');
    const d = new Detectors(
      spike,
      () => 1,
      () => host,
    );
    const flood = () => {
      const names: string[] = [];
      for (let i = 0; i < 60; i++)
        for (const o of d.observe({ kind: 'request', source: '203.0.113.5', origin: 'guard', at: 1_000 + i })) names.push(o.scenario.name);
      return names;
    };
    expect(flood()).toEqual([]);
    host.cpuPercent = 95;
    expect(flood()).toEqual(['resource-abuse-load']);
    host.cpuPercent = 20;
    host.memoryPercent = 97;
    const shared = new Detectors(
      spike,
      () => 1,
      () => host,
    );
    // Two sources sharing the load evenly: neither holds half of it past capacity first.
    const names: string[] = [];
    for (let i = 0; i < 60; i++)
      for (const source of ['203.0.113.6', '203.0.113.7', '203.0.113.8'])
        for (const o of shared.observe({ kind: 'request', source, origin: 'guard', at: 5_000 + i })) names.push(o.scenario.name);
    expect(names).toEqual([]);
  });
});
