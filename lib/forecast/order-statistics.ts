/**
 * Medians and quantiles without sorting. Theil–Sen needs the median of n(n-1)/2 pairwise slopes
 * for every series every cycle; a comparator sort of those was most of a 2,000-module cycle.
 * Selection (Hoare's FIND, in Wirth's formulation) finds one order statistic in linear expected
 * time and gives exactly the value a sort would, so nothing downstream changes.
 */

/** Rearranges `values[0..n)` so that `values[k]` is its k-th smallest, smaller ones before, larger after; returns it. */
export function selectInPlace(values: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = values[k];
    let i = lo;
    let j = hi;
    do {
      while (values[i] < pivot) i++;
      while (pivot < values[j]) j--;
      if (i <= j) {
        const swap = values[i];
        values[i] = values[j];
        values[j] = swap;
        i++;
        j--;
      }
    } while (i <= j);
    if (j < k) lo = i;
    if (k < i) hi = j;
  }
  return values[k];
}

function smallestFrom(values: Float64Array, from: number, n: number): number {
  let min = values[from];
  for (let i = from + 1; i < n; i++) if (values[i] < min) min = values[i];
  return min;
}

/** The `q` quantile of `values[0..n)` with linear interpolation (as on a sorted copy); reorders the buffer. */
export function quantileInPlace(values: Float64Array, n: number, q: number): number {
  if (n === 0) return NaN;
  const pos = Math.min(n - 1, Math.max(0, q * (n - 1)));
  const lo = Math.floor(pos);
  const low = selectInPlace(values, n, lo);
  if (pos === lo) return low;
  return low + (smallestFrom(values, lo + 1, n) - low) * (pos - lo);
}

/** The median of `values[0..n)` (mean of the middle two when n is even); reorders the buffer. */
export function medianInPlace(values: Float64Array, n: number): number {
  if (n === 0) return NaN;
  const mid = n >> 1;
  if (n % 2) return selectInPlace(values, n, mid);
  const lower = selectInPlace(values, n, mid - 1);
  return (lower + smallestFrom(values, mid, n)) / 2;
}

/** A reusable buffer that grows to the largest size asked of it; one per role, so fits do not allocate. */
export class Scratch {
  private buffer = new Float64Array(64);

  get(size: number): Float64Array {
    if (this.buffer.length < size) this.buffer = new Float64Array(Math.max(size, this.buffer.length * 2));
    return this.buffer;
  }
}
