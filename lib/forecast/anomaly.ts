import { robustNoise, timeToExhaustion, type TimedValue } from './trend';

/**
 * Latency and error rate against their own recent past. Two forecasters compete in the
 * backtest (`npm run backtest -- --method holt`): Holt's linear exponential smoothing
 * (Holt 1957, damped as Gardner & McKenzie 1985) and the Theil–Sen trend also used for disks.
 * The one the backtest picked is DEFAULT_CROSSING_METHOD.
 */
export type CrossingMethod = 'holt' | 'theil-sen';
export const DEFAULT_CROSSING_METHOD: CrossingMethod = 'theil-sen';

const MINUTE = 60_000;

export interface EwmaState {
  mean: number;
  sd: number;
}

/** Exponentially weighted mean and deviation (Roberts 1959; West 1979 for the variance recursion). */
export function ewma(values: readonly number[], alpha = 0.1): EwmaState {
  if (values.length === 0) return { mean: 0, sd: 0 };
  let mean = values[0];
  let variance = 0;
  for (let i = 1; i < values.length; i++) {
    const diff = values[i] - mean;
    const increment = alpha * diff;
    mean += increment;
    variance = (1 - alpha) * (variance + diff * increment);
  }
  return { mean, sd: Math.sqrt(variance) };
}

/** How unusual the newest value is against the EWMA of everything before it. */
export function anomalyScore(values: readonly number[], alpha = 0.1): number {
  if (values.length < 8) return 0;
  const { mean, sd } = ewma(values.slice(0, -1), alpha);
  const floor = Math.max(sd, robustNoise(values), Math.abs(mean) * 0.02, 1e-9);
  return (values[values.length - 1] - mean) / floor;
}

export interface Crossing {
  etaMinutes: number | null;
  probability: number;
}

/** Standard normal CDF (Abramowitz & Stegun 26.2.17, error < 7.5e-8). */
export function normalCdf(z: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(z));
  const d = 0.3989422804014327 * Math.exp((-z * z) / 2);
  const p = d * t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  return z > 0 ? 1 - p : p;
}

/** Damped Holt: level and trend per step, and the one-step residual spread. */
export function holt(values: readonly number[], alpha = 0.3, beta = 0.1, phi = 0.98): { level: number; trend: number; sd: number } {
  let level = values[0];
  let trend = values.length > 1 ? values[1] - values[0] : 0;
  let squared = 0;
  for (let i = 1; i < values.length; i++) {
    const predicted = level + phi * trend;
    const error = values[i] - predicted;
    squared += error * error;
    const nextLevel = alpha * values[i] + (1 - alpha) * predicted;
    trend = beta * (nextLevel - level) + (1 - beta) * phi * trend;
    level = nextLevel;
  }
  return { level, trend, sd: Math.sqrt(squared / Math.max(1, values.length - 1)) };
}

function holtCrossing(points: readonly TimedValue[], threshold: number, horizonMinutes: number): Crossing {
  const values = points.map((p) => p.v);
  const stepMinutes = Math.max(1e-6, (points[points.length - 1].t - points[0].t) / MINUTE / (points.length - 1));
  const { level, trend, sd } = holt(values);
  if (level >= threshold) return { etaMinutes: 0, probability: 1 };
  const steps = horizonMinutes / stepMinutes;
  const projected = level + trend * steps;
  const spread = Math.max(sd * Math.sqrt(steps) * 0.5, Math.abs(threshold) * 0.01);
  return { etaMinutes: trend > 0 ? ((threshold - level) / trend) * stepMinutes : null, probability: normalCdf((projected - threshold) / spread) };
}

/** When a rising series will cross `threshold`, by the chosen method. */
export function forecastCrossing(
  points: readonly TimedValue[],
  threshold: number,
  horizonMinutes: number,
  method: CrossingMethod = DEFAULT_CROSSING_METHOD,
): Crossing | null {
  if (points.length < 8) return null;
  const quick = quickBound(points, threshold, horizonMinutes);
  if (quick) return quick;
  if (method === 'holt') return holtCrossing(points, threshold, horizonMinutes);
  const exhaustion = timeToExhaustion(points, threshold, horizonMinutes);
  return exhaustion ? { etaMinutes: exhaustion.etaMinutes, probability: exhaustion.probability } : null;
}

/**
 * Most series of a large fleet are nowhere near their threshold. When even the steepest rise
 * the window allows (its whole range per its span) could not reach the threshold within four
 * horizons, the robust fit cannot either: answer from least squares and skip it. This keeps
 * 2,000 modules inside the cycle budget (bench/forecast-risk.ts).
 */
function quickBound(points: readonly TimedValue[], threshold: number, horizonMinutes: number): Crossing | null {
  let min = Infinity;
  let max = -Infinity;
  let sumT = 0;
  let sumV = 0;
  for (const p of points) {
    if (p.v < min) min = p.v;
    if (p.v > max) max = p.v;
    sumT += p.t;
    sumV += p.v;
  }
  const span = (points[points.length - 1].t - points[0].t) / MINUTE;
  if (max >= threshold || span <= 0) return null;
  const steepest = (max - min) / span;
  if ((threshold - max) / (4 * horizonMinutes) <= steepest) return null;
  const meanT = sumT / points.length;
  const meanV = sumV / points.length;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - meanT) * (p.v - meanV);
    den += (p.t - meanT) ** 2;
  }
  const slope = den > 0 ? (num / den) * MINUTE : 0;
  return { etaMinutes: slope > 0 ? (threshold - points[points.length - 1].v) / slope : null, probability: 0 };
}
