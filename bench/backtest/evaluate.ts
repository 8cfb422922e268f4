import { assessSubsystem, type SubsystemSignals } from '@/lib/forecast/assess';
import { TUNED, type Tuning } from '@/lib/forecast/tuning';
import type { BacktestSeries } from './series';

export { TUNED, type Tuning };

/** An alarm earlier than this before the failure is not a prediction of it. */
const MAX_LEAD_MINUTES = 120;
const MINUTE = 60_000;

function signalsAt(series: BacktestSeries, minute: number, tuning: Tuning): SubsystemSignals {
  const from = Math.max(0, minute - tuning.windowMinutes + 1);
  const points = series.values.slice(from, minute + 1).map((v, i) => ({ t: (from + i) * MINUTE, v }));
  const signals: SubsystemSignals = {
    id: series.id ?? 'series',
    name: series.kind,
    kind: series.kind === 'restarts' || series.kind === 'latency' || series.kind === 'errors' ? 'module' : 'host',
  };
  if (series.kind === 'disk' || series.kind === 'memory')
    signals.exhaustion = [{ label: series.kind, failure: `${series.kind} exhausted`, unit: '%', points, capacity: series.capacity ?? 100 }];
  if (series.kind === 'latency' || series.kind === 'errors')
    signals.crossings = [{ label: series.kind, failure: `${series.kind} over threshold`, unit: '', points, threshold: series.threshold ?? 0 }];
  if (series.kind === 'restarts') signals.restarts = { times: series.values.filter((m) => m <= minute).map((m) => m * MINUTE), budget: 5, windowMinutes: 30 };
  return signals;
}

export interface SeriesOutcome {
  id: string;
  kind: string;
  failing: boolean;
  alarmAt: number | null;
  verdict: 'tp' | 'fp' | 'fn' | 'tn';
  leadMinutes: number | null;
}

export function evaluateSeries(series: BacktestSeries, tuning: Tuning): SeriesOutcome {
  const end = series.kind === 'restarts' ? 179 : series.values.length - 1;
  const last = series.failureAt === null ? end : series.failureAt - 1;
  let streak = 0;
  let alarmAt: number | null = null;
  for (let minute = 10; minute <= last; minute++) {
    const { predictions } = assessSubsystem(signalsAt(series, minute, tuning), {
      now: minute * MINUTE,
      horizonMinutes: tuning.horizonMinutes,
      method: tuning.method,
    });
    const alarming = predictions.some((p) => p.probability >= tuning.alarmProbability && p.etaMinutes <= tuning.horizonMinutes);
    streak = alarming ? streak + 1 : 0;
    if (streak >= tuning.confirm) {
      alarmAt = minute;
      break;
    }
  }
  const failing = series.failureAt !== null;
  const base = { id: series.id ?? '', kind: series.kind, failing, alarmAt };
  if (!failing) return { ...base, verdict: alarmAt === null ? 'tn' : 'fp', leadMinutes: null };
  if (alarmAt === null) return { ...base, verdict: 'fn', leadMinutes: null };
  const lead = series.failureAt! - alarmAt;
  return lead > MAX_LEAD_MINUTES ? { ...base, verdict: 'fp', leadMinutes: null } : { ...base, verdict: 'tp', leadMinutes: lead };
}

export interface Score {
  precision: number;
  recall: number;
  medianLeadMinutes: number;
  counts: Record<SeriesOutcome['verdict'], number>;
  outcomes: SeriesOutcome[];
}

export function scoreSet(set: readonly BacktestSeries[], tuning: Tuning): Score {
  const outcomes = set.map((s) => evaluateSeries(s, tuning));
  const counts = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (const o of outcomes) counts[o.verdict]++;
  // A too-early alarm on a failing series is a false alarm and a miss at once.
  const tooEarly = outcomes.filter((o) => o.failing && o.verdict === 'fp').length;
  const leads = outcomes.flatMap((o) => (o.leadMinutes === null ? [] : [o.leadMinutes])).sort((a, b) => a - b);
  const mid = leads.length >> 1;
  return {
    precision: counts.tp + counts.fp === 0 ? 0 : counts.tp / (counts.tp + counts.fp),
    recall: counts.tp + counts.fn + tooEarly === 0 ? 0 : counts.tp / (counts.tp + counts.fn + tooEarly),
    medianLeadMinutes: leads.length === 0 ? 0 : leads.length % 2 ? leads[mid] : (leads[mid - 1] + leads[mid]) / 2,
    counts,
    outcomes,
  };
}
