import { describe, expect, it } from 'vitest';
import { dailyResponseTimes, overallState, publicStateOf, uptimeFromChanges, uptimeFromDays } from './uptime';

const now = new Date('2026-12-06T12:00:00.000Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
const from = hoursAgo(24);

describe('uptime over 24 hours from state changes', () => {
  it('counts the time before the first change in its from-state, and the rest in each new state', () => {
    const changes = [
      { at: hoursAgo(12), from: 'up', to: 'down' },
      { at: hoursAgo(6), from: 'down', to: 'up' },
    ];
    expect(uptimeFromChanges({ changes, current: 'up', from, to: now })).toBe(18 / 24);
  });

  it('is the current state all along without changes, and nothing observed while paused', () => {
    expect(uptimeFromChanges({ changes: [], current: 'up', from, to: now })).toBe(1);
    expect(uptimeFromChanges({ changes: [], current: 'down', from, to: now })).toBe(0);
    expect(uptimeFromChanges({ changes: [], current: 'paused', from, to: now })).toBeNull();
    expect(uptimeFromChanges({ changes: [], current: null, from, to: now })).toBeNull();
  });

  it('counts degraded as up and leaves maintenance out; ignores changes outside the window', () => {
    const changes = [
      { at: hoursAgo(30), from: 'up', to: 'down' },
      { at: hoursAgo(18), from: 'degraded', to: 'maintenance' },
      { at: hoursAgo(12), from: 'maintenance', to: 'down' },
    ];
    expect(uptimeFromChanges({ changes, current: 'down', from, to: now })).toBe(6 / 18);
  });
});

describe('uptime over days and daily response times', () => {
  const stats = [
    { day: '2026-12-06', probes: 10, upMs: 900, downMs: 100, latencySumMs: 200 },
    { day: '2026-12-01', probes: 4, upMs: 0, downMs: 1000, latencySumMs: 0 },
    { day: '2026-10-01', probes: 4, upMs: 1000, downMs: 0, latencySumMs: 80 },
  ];

  it('sums the days inside each window', () => {
    expect(uptimeFromDays(stats, now, 1)).toBe(0.9);
    expect(uptimeFromDays(stats, now, 7)).toBe(900 / 2000);
    expect(uptimeFromDays(stats, now, 90)).toBe(1900 / 3000);
    expect(uptimeFromDays([], now, 30)).toBeNull();
  });

  it('gives a mean per day, oldest first, with gaps for days without latency', () => {
    const points = dailyResponseTimes(stats, now, 7);
    expect(points).toHaveLength(7);
    expect(points[0].day).toBe('2026-11-30');
    expect(points.at(-1)).toEqual({ day: '2026-12-06', ms: 20 });
    expect(points.find((p) => p.day === '2026-12-01')?.ms).toBeNull();
  });
});

describe('public states', () => {
  it('maps engine states and takes the worst known one as the headline', () => {
    expect(['up', 'degraded', 'down', 'maintenance', 'paused', 'pending', null].map((s) => publicStateOf(s as never))).toEqual([
      'operational',
      'degraded',
      'outage',
      'maintenance',
      'unknown',
      'unknown',
      'unknown',
    ]);
    expect(overallState(['operational', 'unknown', 'degraded'])).toBe('degraded');
    expect(overallState(['maintenance', 'outage'])).toBe('outage');
    expect(overallState(['unknown'])).toBe('unknown');
    expect(overallState([])).toBe('unknown');
  });
});
