import { worseLevel, type DegradationLevel } from '@/lib/health/degradation';
import type { MinuteRollup, StoredSample } from '../queries/health';

export function minuteOf(iso: string): Date {
  const d = new Date(iso);
  d.setUTCSeconds(0, 0);
  return d;
}

/** Folds the samples of one minute into the roll-up kept for 30 days. */
export function rollUpMinute(minute: Date, samples: StoredSample[]): MinuteRollup {
  const n = samples.length;
  const sum = (pick: (s: StoredSample) => number) => samples.reduce((total, s) => total + pick(s), 0);
  const max = (pick: (s: StoredSample) => number) => samples.reduce((m, s) => Math.max(m, pick(s)), 0);
  const round = (v: number) => Math.round(v * 100) / 100;
  return {
    minute,
    samples: n,
    cpuAvg: round(sum((s) => s.sample.cpuPercent) / n),
    cpuMax: max((s) => s.sample.cpuPercent),
    memoryAvg: round(sum((s) => s.sample.memoryPercent) / n),
    memoryMax: max((s) => s.sample.memoryPercent),
    diskMax: max((s) => s.sample.disks.reduce((m, d) => Math.max(m, d.usedPercent), 0)),
    load1Avg: round(sum((s) => s.sample.load1) / n),
    scoreAvg: round(sum((s) => s.score) / n),
    scoreMin: samples.reduce((m, s) => Math.min(m, s.score), 100),
    // The worst level seen in the minute: a brief EMERGENCY must not average away.
    degradation: samples.reduce<DegradationLevel>((level, s) => worseLevel(level, s.degradation), 'NORMAL'),
  };
}
