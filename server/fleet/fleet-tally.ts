import type { SecuritySignal, SignalKind } from '@/lib/defense/signals';
import { MAX_COUNT_PER_ENTRY, MAX_COUNTS_PER_REPORT, type FleetCounts } from '@/lib/fleet/fleet-counts';

/**
 * The agent's side of fleet-wide detection: every signal with a source is counted per kind and
 * address until the next report. Bounded: a flood of distinct addresses fills one report's worth
 * and the rest is only counted as dropped, so memory never grows with the attack.
 */
export class FleetTally {
  private byKind = new Map<SignalKind, Map<string, number>>();
  private entries = 0;
  private dropped = 0;
  private seq = 0;

  /** On the guard's hot path: two Map lookups and an addition. */
  count(signal: SecuritySignal): void {
    const source = signal.source;
    if (!source) return;
    let sources = this.byKind.get(signal.kind);
    if (!sources) this.byKind.set(signal.kind, (sources = new Map()));
    const before = sources.get(source);
    if (before !== undefined) {
      if (before < MAX_COUNT_PER_ENTRY) sources.set(source, before + 1);
      return;
    }
    if (this.entries >= MAX_COUNTS_PER_REPORT) {
      this.dropped++;
      return;
    }
    sources.set(source, 1);
    this.entries++;
  }

  /** What was counted since the last call, or null when nothing was; starts counting afresh. */
  take(): FleetCounts | null {
    if (this.entries === 0 && this.dropped === 0) return null;
    const counts: FleetCounts['counts'] = [];
    for (const [kind, sources] of this.byKind) for (const [source, count] of sources) counts.push([kind, source, count]);
    const report = counts.length > 0 ? { seq: ++this.seq, counts, dropped: this.dropped } : null;
    this.byKind = new Map();
    this.entries = 0;
    this.dropped = 0;
    return report;
  }

  /** A new connection numbers its reports from 1 again. */
  restart(): void {
    this.seq = 0;
  }
}
