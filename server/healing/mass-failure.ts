import type { Finding } from '@/lib/healing/diagnosis';
import type { IncidentSummary } from '@/lib/healing/incident';
import type { IncidentManager } from './incident-manager';

/** Incidents a burst may open at once, then one more every few seconds. */
const BURST = 20;
const REFILL_MS = 3000;
/** The aggregate's list of modules is stored at most this often while it grows. */
const STORE_EVERY_MS = 1000;
/** What the aggregate is filed under: no module name can be '*', so it never collides with a real one. */
export const MASS_FAILURE_MODULE = '*';

/**
 * Rate-limits incidents: a token bucket lets a few failures a minute open their own incident;
 * beyond it, further failing modules join one incident, "many modules failing at once", instead
 * of opening thousands that bury the one that matters. It resolves once every member answers.
 */
export class MassFailure {
  private tokens = BURST;
  private refilledAt = Date.now();
  private incident: IncidentSummary | null = null;
  private opening: Promise<IncidentSummary> | null = null;
  private readonly members = new Set<string>();
  private storeTimer: NodeJS.Timeout | null = null;

  constructor(private readonly incidents: IncidentManager) {}

  /** Takes a token for a new incident; false when the bucket is empty and the failure should join the aggregate. */
  admit(at: number): boolean {
    const refills = Math.floor((at - this.refilledAt) / REFILL_MS);
    if (refills > 0) {
      this.tokens = Math.min(BURST, this.tokens + refills);
      this.refilledAt += refills * REFILL_MS;
    }
    // While the aggregate is open, every new failure joins it: they are most likely one event.
    if (this.incident || this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  has(module: string): boolean {
    return this.members.has(module);
  }

  /** Adds the module to the aggregate incident, opening it with the first; returns the incident. */
  async join(module: string, finding: Finding, at: number): Promise<IncidentSummary> {
    this.members.add(module);
    if (!this.incident) {
      this.opening ??= this.incidents.openIncident({
        module: MASS_FAILURE_MODULE,
        critical: false,
        diagnosis: {
          failureClass: 'service_failure',
          rootCause: 'network',
          confidence: 0.3,
          severity: 'high',
          urgency: 3,
          reasons: ['more modules failed at once than incidents may open; likely one shared cause (network, host, or Vigil itself)'],
        },
        findings: [{ ...finding, message: 'many modules failing at once' }],
        firstFailureAt: at,
        detectedAt: at,
      });
      this.incident = await this.opening;
      this.opening = null;
    }
    const incident = this.incident;
    incident.affectedDependents = [...this.members];
    this.storeSoon(incident);
    return incident;
  }

  /** The module answers again; the aggregate resolves with its last member. */
  async leave(module: string, at: number): Promise<void> {
    if (!this.members.delete(module) || this.members.size > 0 || !this.incident) return;
    const incident = this.incident;
    this.incident = null;
    if (this.storeTimer) clearTimeout(this.storeTimer);
    this.storeTimer = null;
    await this.incidents.resolve(incident, `all ${incident.affectedDependents.length} modules answer again`, at);
  }

  private storeSoon(incident: IncidentSummary): void {
    if (this.storeTimer) return;
    this.storeTimer = setTimeout(() => {
      this.storeTimer = null;
      void this.incidents.setAffected(incident, [...this.members]);
    }, STORE_EVERY_MS);
    this.storeTimer.unref();
  }
}
