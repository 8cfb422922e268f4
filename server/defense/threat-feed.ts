import type { DefenseThreat, ThreatLevel, ThreatMinute } from '@/lib/defense/defense-types';
import { countThreatsPerMinute } from '@/lib/defense/threat-stats';

/** Threats the feed holds after trimming, and how many a restart reads back from the audit trail. */
export const THREAT_FEED_KEEP = 1000;
const KEEP = THREAT_FEED_KEEP;
const HOUR_MS = 3_600_000;

/** The newest threats for the dashboard and GET /api/v1/threats; the audit trail keeps them all. */
export class ThreatFeed {
  private threats: DefenseThreat[] = [];

  add(threat: DefenseThreat): void {
    this.threats.push(threat);
    if (this.threats.length > KEEP * 2) this.threats = this.threats.slice(-KEEP);
  }

  /**
   * From the audit trail (oldest first), at start or when this replica takes the lead: the feed a
   * restart would otherwise forget. Threats detected meanwhile stay after them, once each.
   */
  restore(threats: readonly DefenseThreat[]): void {
    const restored = threats.slice(-KEEP);
    const ids = new Set(restored.map((threat) => threat.id));
    this.threats = [...restored, ...this.threats.filter((threat) => !ids.has(threat.id))];
  }

  /** Newest first. */
  recent(limit: number): DefenseThreat[] {
    return this.threats.slice(-limit).reverse();
  }

  countsLastHour(now: number): Record<ThreatLevel, number> {
    const counts: Record<ThreatLevel, number> = { medium: 0, high: 0, critical: 0 };
    const since = new Date(now - HOUR_MS).toISOString();
    for (let i = this.threats.length - 1; i >= 0 && this.threats[i].at >= since; i--) counts[this.threats[i].level]++;
    return counts;
  }

  perMinuteLastHour(now: number): ThreatMinute[] {
    const since = new Date(now - HOUR_MS).toISOString();
    let first = this.threats.length;
    while (first > 0 && this.threats[first - 1].at >= since) first--;
    return countThreatsPerMinute(this.threats.slice(first), now - HOUR_MS);
  }
}
