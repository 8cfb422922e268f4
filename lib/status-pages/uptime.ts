import type { ModuleState } from '../healing/module-schema';
import type { PublicModuleState } from './status-view';

export const DAY_MS = 86_400_000;

/** How an engine state reads to the public: paused and pending modules are not an outage. */
export function publicStateOf(state: ModuleState | null): PublicModuleState {
  switch (state) {
    case 'up':
      return 'operational';
    case 'degraded':
      return 'degraded';
    case 'down':
      return 'outage';
    case 'maintenance':
      return 'maintenance';
    default:
      return 'unknown';
  }
}

const SEVERITY: PublicModuleState[] = ['operational', 'unknown', 'maintenance', 'degraded', 'outage'];

/** The page's headline: its worst module (unknown counts only when nothing is known). */
export function overallState(states: readonly PublicModuleState[]): PublicModuleState {
  const known = states.filter((s) => s !== 'unknown');
  if (known.length === 0) return 'unknown';
  return known.reduce((worst, s) => (SEVERITY.indexOf(s) > SEVERITY.indexOf(worst) ? s : worst), 'operational');
}

export interface StateChange {
  at: Date;
  from: string;
  to: string;
}

/** Down counts against uptime, up and degraded (answering, slowly) for it; other states are not observed time. */
const countsAs = (state: string): 'up' | 'down' | null => (state === 'down' ? 'down' : state === 'up' || state === 'degraded' ? 'up' : null);

/**
 * Uptime over [from, to] from a module's state changes (oldest first, those inside the window)
 * and its state now: the state before the first change is that change's `from`, so no row from
 * before the window is needed. Null when the window holds no observed time.
 */
export function uptimeFromChanges({
  changes,
  current,
  from,
  to,
}: {
  changes: readonly StateChange[];
  current: string | null;
  from: Date;
  to: Date;
}): number | null {
  const inside = changes.filter((c) => c.at > from && c.at <= to).sort((a, b) => a.at.getTime() - b.at.getTime());
  let state = inside[0]?.from ?? current;
  let since = from.getTime();
  let up = 0;
  let down = 0;
  const close = (until: number) => {
    const counted = state === null ? null : countsAs(state);
    if (counted === 'up') up += until - since;
    else if (counted === 'down') down += until - since;
  };
  for (const change of inside) {
    close(change.at.getTime());
    state = change.to;
    since = change.at.getTime();
  }
  close(to.getTime());
  return up + down > 0 ? up / (up + down) : null;
}

export interface DailyStat {
  day: string;
  probes: number;
  upMs: number;
  downMs: number;
  latencySumMs: number;
}

/** UTC day (YYYY-MM-DD) `days` days before `now`'s day. */
export const dayBefore = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS).toISOString().slice(0, 10);

/** Uptime over the last `days` UTC days (today included) from the daily roll-ups. */
export function uptimeFromDays(stats: readonly DailyStat[], now: Date, days: number): number | null {
  const first = dayBefore(now, days - 1);
  let up = 0;
  let down = 0;
  for (const stat of stats) {
    if (stat.day < first) continue;
    up += stat.upMs;
    down += stat.downMs;
  }
  return up + down > 0 ? up / (up + down) : null;
}

/** Mean response time per day for the last `days` days, oldest first, a gap as null. */
export function dailyResponseTimes(stats: readonly DailyStat[], now: Date, days: number): { day: string; ms: number | null }[] {
  const byDay = new Map(stats.map((s) => [s.day, s]));
  return Array.from({ length: days }, (_, i) => {
    const day = dayBefore(now, days - 1 - i);
    const stat = byDay.get(day);
    return { day, ms: stat && stat.probes > 0 && stat.latencySumMs > 0 ? Math.round((stat.latencySumMs / stat.probes) * 10) / 10 : null };
  });
}
