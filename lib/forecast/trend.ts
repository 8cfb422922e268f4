/**
 * Robust trends for "when will this run out?": Theil–Sen (the median of pairwise slopes) instead
 * of least squares, so a few outliers cannot tilt the line (Sen 1968, breakdown point ~29 %),
 * fitted only after the latest level shift, so a log rotation or a freed cache does not read as
 * a slope. Prometheus' predict_linear is plain least squares over the whole window.
 */
import { medianInPlace, quantileInPlace, Scratch } from './order-statistics';

export interface TimedValue {
  /** Milliseconds since the epoch. */
  t: number;
  v: number;
}

export interface RobustTrend {
  /** Units per minute. */
  slope: number;
  /** 10th and 90th percentile of the long-baseline pairwise slopes: the confidence band. */
  slopeLow: number;
  slopeHigh: number;
  /** The fitted value at the last point's time. */
  level: number;
  /** Where the fit starts (after a detected step), as an index into the input. */
  from: number;
  stepDetected: boolean;
  /** Robust noise (MAD of first differences, scaled to a standard deviation). */
  noise: number;
}

const MINUTE = 60_000;
/** Points each side of a candidate step; a shift must hold this long to count. */
const STEP_HALF_WINDOW = 5;
/** A step is a median shift this many noise-sigmas wide (6σ: practically never noise alone). */
const STEP_SIGMAS = 6;
const MIN_FIT_POINTS = 6;

// One buffer per role, reused by every fit: a cycle over 2,000 modules fits 4,000 series and
// would otherwise allocate (and collect) hundreds of thousands of short arrays.
const valueScratch = new Scratch();
const diffScratch = new Scratch();
const windowScratch = new Scratch();
const slopeScratch = new Scratch();
const longSlopeScratch = new Scratch();
const interceptScratch = new Scratch();

/** Standard deviation of the noise, from the median absolute first difference (robust to trends and steps). */
export function robustNoise(values: ArrayLike<number>, n = values.length): number {
  if (n < 3) return 0;
  const diffs = diffScratch.get(n - 1);
  for (let i = 1; i < n; i++) diffs[i - 1] = Math.abs(values[i] - values[i - 1]);
  // MAD → σ is ×1.4826; a difference of two noisy points has √2 σ.
  return (medianInPlace(diffs, n - 1) * 1.4826) / Math.SQRT2;
}

function windowMedian(values: ArrayLike<number>, from: number, to: number): number {
  const window = windowScratch.get(to - from);
  for (let i = from; i < to; i++) window[i - from] = values[i];
  return medianInPlace(window, to - from);
}

/** The index where the latest significant level shift begins, or 0. */
export function detectStep(values: ArrayLike<number>, noise = robustNoise(values), n = values.length): number {
  const m = STEP_HALF_WINDOW;
  if (n < 2 * m + MIN_FIT_POINTS) return 0;
  const threshold = Math.max(STEP_SIGMAS * noise, 1e-9);
  let best = 0;
  let bestShift = 0;
  for (let k = m; k <= n - m; k++) {
    const before = windowMedian(values, k - m, k);
    const after = windowMedian(values, k, k + m);
    // A steady slope also moves the medians: subtract what the local slope explains.
    const drift = ((values[Math.min(n - 1, k + m - 1)] - values[k - m]) / (2 * m - 1)) * m;
    const shift = Math.abs(after - before) - Math.abs(drift) * 0.5;
    if (shift > threshold && shift >= bestShift) {
      best = k;
      bestShift = shift;
    }
  }
  return best;
}

/**
 * The fit itself. Leaves the long-baseline slopes in `longSlopeScratch[0..longCount)` for the
 * caller to read before the next fit; that is what keeps the probability allocation-free.
 */
function fitTrend(points: readonly TimedValue[]): { trend: RobustTrend; longCount: number } | null {
  const total = points.length;
  if (total < MIN_FIT_POINTS) return null;
  const values = valueScratch.get(total);
  for (let i = 0; i < total; i++) values[i] = points[i].v;
  const noise = robustNoise(values, total);
  let from = detectStep(values, noise, total);
  if (total - from < MIN_FIT_POINTS) from = Math.max(0, total - MIN_FIT_POINTS);
  const n = total - from;
  const pairs = (n * (n - 1)) / 2;
  const slopes = slopeScratch.get(pairs);
  const longSlopes = longSlopeScratch.get(pairs);
  let count = 0;
  let longCount = 0;
  const minGap = Math.max(1, Math.floor(n / 3));
  for (let i = from; i < total; i++) {
    for (let j = i + 1; j < total; j++) {
      const dt = (points[j].t - points[i].t) / MINUTE;
      if (dt <= 0) continue;
      const s = (values[j] - values[i]) / dt;
      slopes[count++] = s;
      if (j - i >= minGap) longSlopes[longCount++] = s;
    }
  }
  if (count === 0) return null;
  const slope = medianInPlace(slopes, count);
  const last = points[total - 1].t;
  const intercepts = interceptScratch.get(n);
  for (let i = from; i < total; i++) intercepts[i - from] = values[i] - (slope * (points[i].t - last)) / MINUTE;
  const trend = {
    slope,
    slopeLow: quantileInPlace(longSlopes, longCount, 0.1),
    slopeHigh: quantileInPlace(longSlopes, longCount, 0.9),
    level: medianInPlace(intercepts, n),
    from,
    stepDetected: from > 0,
    noise,
  };
  return { trend, longCount };
}

/** Theil–Sen over the points after the latest step; null when too few points remain. */
export function robustTrend(points: readonly TimedValue[]): RobustTrend | null {
  return fitTrend(points)?.trend ?? null;
}

export interface Exhaustion {
  /** Minutes from the last point until the fit reaches `capacity`; null when it never does. */
  etaMinutes: number | null;
  /** The band: fastest and slowest plausible slopes. */
  etaLowMinutes: number | null;
  etaHighMinutes: number | null;
  /** Share of long-baseline slopes that reach capacity within `horizonMinutes`. */
  probability: number;
  trend: RobustTrend;
}

const etaFor = (room: number, slope: number) => (slope > 0 ? room / slope : null);

/** Time until a growing series reaches `capacity`, with an empirical probability within the horizon. */
export function timeToExhaustion(points: readonly TimedValue[], capacity: number, horizonMinutes: number): Exhaustion | null {
  const fit = fitTrend(points);
  if (!fit) return null;
  const { trend, longCount } = fit;
  const room = capacity - trend.level;
  if (room <= 0) return { etaMinutes: 0, etaLowMinutes: 0, etaHighMinutes: 0, probability: 1, trend };
  const needed = room / horizonMinutes;
  const longSlopes = longSlopeScratch.get(longCount);
  let reachingCount = 0;
  for (let i = 0; i < longCount; i++) if (longSlopes[i] >= needed) reachingCount++;
  const reaching = longCount ? reachingCount / longCount : 0;
  // A slope no bigger than the noise over the window is not evidence of growth.
  const span = (points[points.length - 1].t - points[trend.from].t) / MINUTE;
  const significant = trend.slopeLow > 0 && trend.slope * span > 2 * trend.noise;
  return {
    etaMinutes: etaFor(room, trend.slope),
    etaLowMinutes: etaFor(room, trend.slopeHigh),
    etaHighMinutes: etaFor(room, trend.slopeLow),
    probability: significant ? reaching : reaching * 0.25,
    trend,
  };
}
