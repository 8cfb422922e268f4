import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './fleet-agent';

describe('the wait before an agent tries again after the console cut it off', () => {
  it('doubles from 2 s up to a minute', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((attempt) => retryDelayMs(attempt, 0.5))).toEqual([2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000]);
  });

  it('is spread ±50 % around that, so a fleet cut off at once does not come back in the same instant', () => {
    expect(retryDelayMs(0, 0)).toBe(1000);
    expect(retryDelayMs(0, 0.999_999)).toBeCloseTo(3000, 0);
    expect(retryDelayMs(40, 0)).toBe(30_000);
    expect(retryDelayMs(40, 0.999_999)).toBeCloseTo(90_000, 0);
    // 1,000 agents on their first retry: no 100 ms of the 2 s spread gets more than a few percent of them.
    const buckets = new Map<number, number>();
    for (let i = 0; i < 1000; i++) {
      const bucket = Math.floor(retryDelayMs(0, i / 1000) / 100);
      buckets.set(bucket, (buckets.get(bucket) ?? 0) + 1);
    }
    expect(Math.max(...buckets.values())).toBeLessThanOrEqual(60);
  });
});
