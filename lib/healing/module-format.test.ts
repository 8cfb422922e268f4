import { describe, expect, it } from 'vitest';
import { formatMs, formatSpan, recentUptime, SPARKLINE_PROBES } from './module-format';

describe('module formatting', () => {
  it('counts failed probes (null) against the recent uptime', () => {
    expect(recentUptime([])).toBeNull();
    expect(recentUptime([12, null, 15, 9])).toBe(75);
    expect(recentUptime([null, null])).toBe(0);
  });

  it('does not count the start-up probes of a new module as downtime, but does once the window is full', () => {
    expect(recentUptime([null, 4, 5, 6, 7])).toBe(100);
    expect(recentUptime([null, 4, null, 6])).toBeCloseTo(66.7, 1);
    const full = [null, ...Array.from({ length: SPARKLINE_PROBES - 1 }, () => 5)];
    expect(recentUptime(full)).toBeCloseTo(96.7, 1);
  });

  it('prints latencies and repair times at a readable scale', () => {
    expect(formatMs(null)).toBe('—');
    expect(formatMs(0.4)).toBe('<1 ms');
    expect(formatMs(412.6)).toBe('413 ms');
    expect(formatMs(2345)).toBe('2.35 s');
    expect(formatSpan(850)).toBe('850 ms');
    expect(formatSpan(4200)).toBe('4.2 s');
    expect(formatSpan(190_000)).toBe('3m 10s');
    expect(formatSpan(2 * 3_600_000 + 5 * 60_000)).toBe('2h 5m');
  });
});
