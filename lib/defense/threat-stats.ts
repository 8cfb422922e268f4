import type { DefenseThreat, ThreatLevel, ThreatMinute } from './defense-types';

export const THREAT_LEVELS: readonly ThreatLevel[] = ['medium', 'high', 'critical'];

const MINUTE_MS = 60_000;
export const THREAT_STATS_MINUTES = 60;

type Counted = Pick<DefenseThreat, 'at' | 'level'>;

export const minuteOf = (at: string | number): number => Math.floor((typeof at === 'number' ? at : Date.parse(at)) / MINUTE_MS) * MINUTE_MS;

/** Adds one threat to sparse per-minute counts (oldest first) without touching the input. */
export function addThreatMinute(minutes: readonly ThreatMinute[], threat: Counted): ThreatMinute[] {
  const minute = minuteOf(threat.at);
  const index = minutes.findIndex((m) => m.minute === minute);
  if (index >= 0) return minutes.map((m, i) => (i === index ? { ...m, [threat.level]: m[threat.level] + 1 } : m));
  const added: ThreatMinute = { minute, medium: 0, high: 0, critical: 0, [threat.level]: 1 };
  return [...minutes, added].sort((a, b) => a.minute - b.minute);
}

/** Sparse per-minute counts of the threats at or after `since`, oldest first. */
export function countThreatsPerMinute(threats: Iterable<Counted>, since: number): ThreatMinute[] {
  const byMinute = new Map<number, ThreatMinute>();
  for (const threat of threats) {
    if (Date.parse(threat.at) < since) continue;
    const minute = minuteOf(threat.at);
    const bucket = byMinute.get(minute) ?? { minute, medium: 0, high: 0, critical: 0 };
    bucket[threat.level]++;
    byMinute.set(minute, bucket);
  }
  return [...byMinute.values()].sort((a, b) => a.minute - b.minute);
}

/** Every minute of the last `span` up to `now`'s, zeros included, for a chart with a steady axis. */
export function denseThreatMinutes(minutes: readonly ThreatMinute[], now: number, span = THREAT_STATS_MINUTES): ThreatMinute[] {
  const byMinute = new Map(minutes.map((m) => [m.minute, m]));
  const last = minuteOf(now);
  return Array.from({ length: span }, (_, i) => {
    const minute = last - (span - 1 - i) * MINUTE_MS;
    return byMinute.get(minute) ?? { minute, medium: 0, high: 0, critical: 0 };
  });
}
