import type { AuditWriter } from '../audit';
import type { Logger } from '../log';

/**
 * The chain's record of agents coming and going, and of a revoked agent still trying: its
 * refusals are recorded once per host and console run, however often it retries, so a revoked
 * agent cannot fill the chain by reconnecting.
 */
export class FleetConnectionAudit {
  private readonly refusalRecorded = new Set<number>();

  constructor(private readonly deps: { audit: AuditWriter; log: Logger }) {}

  connected(hostId: number, address: string | null): void {
    this.record({
      type: 'fleet.agent_connected',
      severity: 'info',
      action: 'agent connected',
      resource: `host:${hostId}`,
      source: address,
      details: { hostId },
    });
  }

  disconnected(hostId: number, reason: string): void {
    this.record({
      type: 'fleet.agent_disconnected',
      severity: 'notice',
      action: 'agent disconnected',
      resource: `host:${hostId}`,
      reason: reason.slice(0, 200),
      details: { hostId },
    });
  }

  /** A revoked agent said hello or sent events: refused, and recorded the first time. */
  refused(hostId: number, what: 'hello' | 'events', address: string | null): void {
    if (this.refusalRecorded.has(hostId)) return;
    this.refusalRecorded.add(hostId);
    this.record({
      type: 'fleet.agent_refused',
      severity: 'warning',
      action: what === 'hello' ? 'refuse a revoked agent' : "refuse a revoked agent's events",
      resource: `host:${hostId}`,
      reason: 'the host was revoked',
      source: address,
      details: { hostId, refused: what },
    });
  }

  private record(event: {
    type: string;
    severity: 'info' | 'notice' | 'warning';
    action: string;
    resource: string;
    reason?: string;
    source?: string | null;
    details: { hostId: number; refused?: string };
  }): void {
    this.deps.audit
      .append({ ...event, actor: 'system', module: 'fleet', method: 'fleet' })
      .catch((error: unknown) => this.deps.log.warn({ err: (error as Error).message, type: event.type }, 'could not record a fleet connection event'));
  }
}
