import type { TimedValue } from '@/lib/forecast/trend';

const MINUTE = 60_000;

/**
 * Per-series one-minute averages: the forecaster samples every cycle, the predictors read
 * minutes (the resolution the backtest was tuned on, and a bounded cost per series).
 */
export class SeriesStore {
  private series = new Map<string, { points: TimedValue[]; sum: number; count: number; minute: number }>();

  constructor(private readonly keepMinutes: number) {}

  record(id: string, at: number, value: number): void {
    if (!Number.isFinite(value)) return;
    const minute = Math.floor(at / MINUTE) * MINUTE;
    let entry = this.series.get(id);
    if (!entry) {
      entry = { points: [], sum: 0, count: 0, minute };
      this.series.set(id, entry);
    }
    if (minute !== entry.minute) {
      if (entry.count > 0) entry.points.push({ t: entry.minute, v: entry.sum / entry.count });
      entry.minute = minute;
      entry.sum = 0;
      entry.count = 0;
      const cutoff = minute - this.keepMinutes * MINUTE;
      while (entry.points.length > 0 && entry.points[0].t < cutoff) entry.points.shift();
    }
    entry.sum += value;
    entry.count += 1;
  }

  /** Completed minutes plus the running one, oldest first. */
  points(id: string): TimedValue[] {
    const entry = this.series.get(id);
    if (!entry) return [];
    return entry.count > 0 ? [...entry.points, { t: entry.minute, v: entry.sum / entry.count }] : entry.points;
  }

  /** Drops series nobody recorded into lately (a removed module, an unmounted disk). */
  forgetExcept(ids: ReadonlySet<string>, prefix: string): void {
    for (const id of this.series.keys()) if (id.startsWith(prefix) && !ids.has(id)) this.series.delete(id);
  }
}
