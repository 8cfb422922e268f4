import { describe, expect, it } from 'vitest';
import type { SecuritySignal } from '@/lib/defense/signals';
import { fleetCountsSchema, MAX_COUNTS_PER_REPORT } from '@/lib/fleet/fleet-counts';
import { FleetTally } from './fleet-tally';

const signal = (source: string, kind: SecuritySignal['kind'] = 'auth_failure'): SecuritySignal => ({ kind, source, origin: 'guard', at: 0 });

describe('an agent counting signals for fleet-wide detection', () => {
  it('counts per kind and source, reports what a console accepts, and starts afresh after each report', () => {
    const tally = new FleetTally();
    expect(tally.take()).toBeNull();
    for (let i = 0; i < 3; i++) tally.count(signal('203.0.113.7'));
    tally.count(signal('203.0.113.7', 'request'));
    tally.count(signal('203.0.113.8'));
    tally.count({ ...signal(''), source: '' });
    const report = tally.take()!;
    expect(fleetCountsSchema.parse(report)).toEqual(report);
    expect(report.seq).toBe(1);
    expect(report.counts).toEqual(
      expect.arrayContaining([
        ['auth_failure', '203.0.113.7', 3],
        ['auth_failure', '203.0.113.8', 1],
        ['request', '203.0.113.7', 1],
      ]),
    );
    expect(report.counts).toHaveLength(3);
    expect(tally.take()).toBeNull();
    tally.count(signal('203.0.113.7'));
    expect(tally.take()).toMatchObject({ seq: 2, counts: [['auth_failure', '203.0.113.7', 1]] });
    tally.restart();
    tally.count(signal('203.0.113.7'));
    expect(tally.take()!.seq).toBe(1);
  });

  it('holds one report of distinct sources at most; the rest of a spray is only counted as dropped', () => {
    const tally = new FleetTally();
    for (let i = 0; i < MAX_COUNTS_PER_REPORT + 500; i++) tally.count(signal(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`));
    // A source already held still counts.
    tally.count(signal('10.0.0.0'));
    const report = tally.take()!;
    expect(report.counts).toHaveLength(MAX_COUNTS_PER_REPORT);
    expect(report.dropped).toBe(500);
    expect(report.counts.find(([, source]) => source === '10.0.0.0')![2]).toBe(2);
    expect(fleetCountsSchema.safeParse(report).success).toBe(true);
  });

  it('is what the console refuses when it is not: oversized, empty, negative, or carrying a host id', () => {
    const entry = ['auth_failure', '203.0.113.7', 1];
    expect(fleetCountsSchema.safeParse({ seq: 1, counts: Array(MAX_COUNTS_PER_REPORT + 1).fill(entry), dropped: 0 }).success).toBe(false);
    expect(fleetCountsSchema.safeParse({ seq: 1, counts: [], dropped: 0 }).success).toBe(false);
    expect(fleetCountsSchema.safeParse({ seq: 1, counts: [['auth_failure', '203.0.113.7', -1]], dropped: 0 }).success).toBe(false);
    expect(fleetCountsSchema.safeParse({ seq: 1, counts: [['root', '203.0.113.7', 1]], dropped: 0 }).success).toBe(false);
    expect(fleetCountsSchema.safeParse({ seq: 1, counts: [entry], dropped: 0, hostId: 2 }).success).toBe(false);
  });
});
