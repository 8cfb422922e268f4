import { describe, expect, it } from 'vitest';
import { toChartSeries } from './chart-series';
import type { HealthPoint } from './history-range';

const point = (seconds: number, cpu = 10): HealthPoint => ({
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, seconds)).toISOString(),
  cpu,
  memory: 20,
  disk: 30,
  load1: 0.1,
  score: 100,
  degradation: 'NORMAL',
});

describe('toChartSeries', () => {
  it('maps points to epoch milliseconds and keeps values', () => {
    const series = toChartSeries([point(0, 5), point(5, 7)]);
    expect(series).toEqual([
      { t: Date.UTC(2026, 0, 1, 0, 0, 0), cpu: 5, memory: 20, disk: 30 },
      { t: Date.UTC(2026, 0, 1, 0, 0, 5), cpu: 7, memory: 20, disk: 30 },
    ]);
  });

  it('breaks the line where samples stopped for much longer than usual', () => {
    const series = toChartSeries([point(0), point(5), point(10), point(15), point(60), point(65)]);
    expect(series).toHaveLength(7);
    expect(series[4]).toEqual({ t: Date.UTC(2026, 0, 1, 0, 0, 15) + 1, cpu: null, memory: null, disk: null });
    expect(series[5].cpu).toBe(10);
  });

  it('does not break on ordinary jitter or on short series', () => {
    expect(toChartSeries([point(0), point(6), point(11), point(17)]).every((p) => p.cpu !== null)).toBe(true);
    expect(toChartSeries([point(0), point(14)])).toHaveLength(2);
    expect(toChartSeries([])).toEqual([]);
  });
});
