import { describe, expect, it } from 'vitest';
import { detectStep, robustTrend, timeToExhaustion } from './trend';
import { anomalyScore, forecastCrossing } from './anomaly';

const MINUTE = 60_000;
/** Deterministic noise in [-1, 1]. */
const noise = (i: number) => Math.sin(i * 12.9898) * 0.9;
const series = (values: number[]) => values.map((v, i) => ({ t: i * MINUTE, v }));

describe('robust trend', () => {
  it('recovers the slope through noise and outliers', () => {
    const values = Array.from({ length: 40 }, (_, i) => 50 + 0.5 * i + noise(i));
    values[10] = 99;
    values[25] = 0;
    const trend = robustTrend(series(values))!;
    expect(trend.slope).toBeGreaterThan(0.45);
    expect(trend.slope).toBeLessThan(0.55);
    expect(trend.slopeLow).toBeLessThan(trend.slope);
    expect(trend.slopeHigh).toBeGreaterThan(trend.slope);
  });

  it('fits only after a level shift (a log rotation does not read as a falling trend)', () => {
    const values = Array.from({ length: 40 }, (_, i) => (i < 20 ? 80 : 60) + 0.2 * i + noise(i) * 0.2);
    expect(detectStep(values)).toBeGreaterThanOrEqual(18);
    const trend = robustTrend(series(values))!;
    expect(trend.stepDetected).toBe(true);
    expect(trend.slope).toBeGreaterThan(0.15);
  });

  it('finds no step in a steady ramp', () => {
    expect(detectStep(Array.from({ length: 40 }, (_, i) => i + noise(i) * 0.1))).toBe(0);
  });
});

describe('time to exhaustion', () => {
  it('gives an ETA with a band around it and a high probability when due within the horizon', () => {
    const found = timeToExhaustion(series(Array.from({ length: 30 }, (_, i) => 70 + i + noise(i) * 0.3)), 100, 60)!;
    expect(found.etaMinutes).toBeGreaterThan(0);
    expect(found.etaMinutes).toBeLessThan(3);
    const slow = timeToExhaustion(series(Array.from({ length: 30 }, (_, i) => 40 + 0.1 * i + noise(i) * 0.2)), 100, 60)!;
    expect(slow.etaMinutes!).toBeGreaterThan(500);
    expect(slow.probability).toBeLessThan(0.1);
    expect(slow.etaLowMinutes!).toBeLessThanOrEqual(slow.etaHighMinutes!);
  });

  it('sees no exhaustion in a flat noisy series', () => {
    const flat = timeToExhaustion(series(Array.from({ length: 30 }, (_, i) => 60 + noise(i) * 2)), 100, 60)!;
    expect(flat.probability).toBeLessThan(0.2);
  });
});

describe('anomaly and crossing', () => {
  it('scores a jump far above the baseline and leaves ordinary noise alone', () => {
    const values = Array.from({ length: 30 }, (_, i) => 100 + noise(i) * 5);
    expect(Math.abs(anomalyScore(values))).toBeLessThan(3);
    expect(anomalyScore([...values, 200])).toBeGreaterThan(5);
  });

  it('forecasts a creeping latency over its threshold, by both methods', () => {
    const points = series(Array.from({ length: 30 }, (_, i) => 100 + 3 * i + noise(i) * 2));
    for (const method of ['theil-sen', 'holt'] as const) {
      const crossing = forecastCrossing(points, 200, 60, method)!;
      expect(crossing.etaMinutes!).toBeGreaterThan(0);
      expect(crossing.etaMinutes!).toBeLessThan(30);
      expect(crossing.probability).toBeGreaterThan(0.5);
    }
  });
});
