import { anomalyScore, forecastCrossing, type CrossingMethod } from './anomaly';
import { toSubsystemRisk, type Contribution, type Prediction, type SubsystemKind, type SubsystemRisk } from './risk';
import { timeToExhaustion, type TimedValue } from './trend';

/** What one subsystem looks like to the forecaster: every field is optional, each adds a signal. */
export interface SubsystemSignals {
  id: string;
  name: string;
  kind: SubsystemKind;
  /** Usage growing toward a hard limit: a disk, memory, the database against free space. */
  exhaustion?: { label: string; failure: string; unit: string; points: TimedValue[]; capacity: number }[];
  /** A rate drifting toward a detection threshold: latency P95 vs 2x baseline, error rate vs 5 %. */
  crossings?: { label: string; failure: string; unit: string; points: TimedValue[]; threshold: number }[];
  /** Pressure now, no forecast: CPU, load per core, pending writes. */
  levels?: { label: string; value: number; warnAt: number; failAt: number; unit: string }[];
  /** The module's state; only down and degraded add risk. */
  state?: string;
  /** Restart times (ms) and how many in `windowMinutes` the restart budget tolerates. */
  restarts?: { times: number[]; budget: number; windowMinutes: number };
  incidents?: { open: number; last24h: number };
  /** Threats per bucket, oldest first. */
  threats?: TimedValue[];
  age?: { label: string; hours: number | null; maxHours: number };
}

export interface AssessOptions {
  now: number;
  /** Predictions say how likely the failure is within this many minutes. */
  horizonMinutes: number;
  method?: CrossingMethod;
}

export interface Assessment {
  risk: SubsystemRisk;
  predictions: Prediction[];
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const clamp = (value: number, lo = 0, hi = 100) => Math.min(hi, Math.max(lo, value));

/** An ETA's weight: due now is 100, four hours out about 37, a day out nothing worth showing. */
const urgency = (etaMinutes: number | null) => (etaMinutes === null ? 0 : 100 * Math.exp(-Math.max(0, etaMinutes) / 240));

function forecastPoints(etaMinutes: number | null, probability: number): number {
  return clamp(urgency(etaMinutes) * (0.25 + 0.75 * probability));
}

function predictionOf(signals: SubsystemSignals, failure: string, etaMinutes: number, probability: number, precursors: string[], now: number): Prediction {
  return {
    subsystem: signals.id,
    failure,
    eta: new Date(now + etaMinutes * 60_000).toISOString(),
    etaMinutes: round(etaMinutes),
    probability: round(probability, 2),
    precursors,
  };
}

/** Predictions below this chance or beyond a day are noise to an operator. */
const PREDICTION_MIN_PROBABILITY = 0.2;
const PREDICTION_MAX_ETA_MINUTES = 24 * 60;

export function assessSubsystem(signals: SubsystemSignals, options: AssessOptions): Assessment {
  const { now, horizonMinutes } = options;
  const contributions: Contribution[] = [];
  const predictions: Prediction[] = [];
  const predict = (failure: string, eta: number | null, probability: number, precursors: string[]) => {
    if (eta !== null && eta <= PREDICTION_MAX_ETA_MINUTES && probability >= PREDICTION_MIN_PROBABILITY)
      predictions.push(predictionOf(signals, failure, eta, probability, precursors, now));
  };

  for (const series of signals.exhaustion ?? []) {
    const found = timeToExhaustion(series.points, series.capacity, horizonMinutes);
    if (!found) continue;
    const { trend } = found;
    const precursors = [
      `${series.label} at ${round(trend.level)} ${series.unit} of ${series.capacity}`,
      `grows ${round(trend.slope, 3)} ${series.unit}/min (band ${round(trend.slopeLow, 3)} to ${round(trend.slopeHigh, 3)})`,
    ];
    if (trend.stepDetected) precursors.push('fitted after a level shift');
    contributions.push({
      signal: `${series.label} exhaustion`,
      points: forecastPoints(found.etaMinutes, found.probability),
      detail: found.etaMinutes === null ? `${series.label} is not growing` : `${series.label} full in ~${Math.round(found.etaMinutes)} min`,
    });
    predict(series.failure, found.etaMinutes, found.probability, precursors);
  }

  for (const series of signals.crossings ?? []) {
    const crossing = forecastCrossing(series.points, series.threshold, horizonMinutes, options.method);
    if (!crossing) continue;
    const values = series.points.map((p) => p.v);
    const z = anomalyScore(values);
    const precursors = [`${series.label} at ${round(values[values.length - 1], 2)} ${series.unit}, threshold ${round(series.threshold, 2)}`];
    if (Math.abs(z) >= 3) precursors.push(`${series.label} anomaly z=${round(z)}`);
    const anomalyPoints = z >= 3 ? clamp(10 * z, 0, 40) : 0;
    contributions.push({
      signal: `${series.label} trend`,
      points: Math.max(forecastPoints(crossing.etaMinutes, crossing.probability), anomalyPoints),
      detail: crossing.etaMinutes === null ? `${series.label} steady` : `${series.label} over threshold in ~${Math.round(crossing.etaMinutes)} min`,
    });
    predict(series.failure, crossing.etaMinutes, crossing.probability, precursors);
  }

  for (const level of signals.levels ?? []) {
    const share = (level.value - level.warnAt) / (level.failAt - level.warnAt);
    contributions.push({
      signal: level.label,
      points: clamp(share * 60),
      detail: `${level.label} ${round(level.value)} ${level.unit} (warn ${level.warnAt}, fail ${level.failAt})`,
    });
  }

  if (signals.state === 'down') contributions.push({ signal: 'state', points: 70, detail: 'down now' });
  if (signals.state === 'degraded') contributions.push({ signal: 'state', points: 35, detail: 'degraded now' });

  if (signals.restarts) assessRestarts(signals, signals.restarts, now, contributions, predict);

  if (signals.incidents) {
    const { open, last24h } = signals.incidents;
    if (open > 0) contributions.push({ signal: 'open incidents', points: clamp(30 * open, 0, 60), detail: `${open} open` });
    if (last24h > 0) contributions.push({ signal: 'incident history', points: clamp(6 * last24h, 0, 30), detail: `${last24h} in the last 24 h` });
  }

  if (signals.threats && signals.threats.length >= 8) {
    const found = timeToExhaustion(signals.threats, Math.max(...signals.threats.map((p) => p.v)) * 2 + 5, horizonMinutes);
    const latest = signals.threats[signals.threats.length - 1].v;
    const rising = found !== null && found.trend.slopeLow > 0;
    contributions.push({
      signal: 'threat rate',
      points: clamp(latest * 4 + (rising ? 20 : 0), 0, 80),
      detail: `${latest} threats in the last bucket${rising ? ', rising' : ''}`,
    });
  }

  if (signals.age) {
    const { hours, maxHours, label } = signals.age;
    const points = hours === null ? 55 : clamp((hours / maxHours) * 50, 0, 60);
    contributions.push({ signal: label, points, detail: hours === null ? 'none verified' : `${round(hours)} h old (policy ${maxHours} h)` });
  }

  return { risk: toSubsystemRisk({ id: signals.id, name: signals.name, kind: signals.kind, contributions }), predictions };
}

/**
 * Crash loops announce themselves: restarts come closer together. The rate over the recent
 * restarts, extrapolated to the budget, gives when the engine will give up restarting.
 */
function assessRestarts(
  signals: SubsystemSignals,
  restarts: NonNullable<SubsystemSignals['restarts']>,
  now: number,
  contributions: Contribution[],
  predict: (failure: string, eta: number | null, probability: number, precursors: string[]) => void,
): void {
  const windowStart = now - restarts.windowMinutes * 60_000;
  const recent = restarts.times.filter((t) => t >= windowStart && t <= now).sort((a, b) => a - b);
  if (recent.length === 0) return;
  const used = recent.length / restarts.budget;
  contributions.push({
    signal: 'restart frequency',
    points: clamp(100 * used ** 1.5, 0, 90),
    detail: `${recent.length} restarts in ${restarts.windowMinutes} min (budget ${restarts.budget})`,
  });
  if (recent.length < 2) return;
  const spanMinutes = Math.max(0.5, (now - recent[0]) / 60_000);
  const perMinute = (recent.length - 1) / spanMinutes;
  const remaining = Math.max(0, restarts.budget - recent.length);
  const eta = perMinute > 0 ? remaining / perMinute : null;
  // Two restarts can be chance; each further one within the window makes a loop likelier.
  const probability = clamp((recent.length - 1) / (restarts.budget - 1), 0, 1);
  predict('crash loop (restart budget exhausted)', eta, probability, [
    `${recent.length} restarts in ${round(spanMinutes)} min`,
    `one every ${round(1 / Math.max(perMinute, 1e-9))} min`,
  ]);
}
