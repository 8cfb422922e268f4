import { describe, expect, it } from 'vitest';
import { medianInPlace, quantileInPlace, selectInPlace } from './order-statistics';

/** Deterministic values with ties, negatives and a sorted run, the shapes slopes come in. */
function sample(n: number, seed: number): number[] {
  return Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 1 : Math.round(Math.sin(seed * 97.3 + i * 12.9898) * 1000) / 10));
}

function sortedQuantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

describe('order statistics by selection', () => {
  it('gives exactly what sorting gives, for every rank, quantile and the median', () => {
    for (const n of [1, 2, 3, 10, 31, 435]) {
      const values = sample(n, n);
      const sorted = [...values].sort((a, b) => a - b);
      for (let k = 0; k < n; k += Math.max(1, n >> 4)) expect(selectInPlace(Float64Array.from(values), n, k)).toBe(sorted[k]);
      for (const q of [0, 0.1, 0.5, 0.9, 1]) expect(quantileInPlace(Float64Array.from(values), n, q)).toBe(sortedQuantile(values, q));
      const mid = n >> 1;
      expect(medianInPlace(Float64Array.from(values), n)).toBe(n % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2);
    }
  });

  it('reads only the first n values of a larger buffer', () => {
    const buffer = Float64Array.from([5, 1, 3, -100, -100]);
    expect(medianInPlace(buffer, 3)).toBe(3);
    expect(quantileInPlace(new Float64Array(4), 0, 0.5)).toBeNaN();
  });
});
