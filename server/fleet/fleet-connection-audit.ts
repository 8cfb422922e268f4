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

  /** `reason`: why a connection that never dropped is recorded again (its row was released while it lived). */
  connected(hostId: number, address: string | null, reason?: string): void {
    this.record({
      type: 'fleet.agent_connected',
      severity: 'info',
      action: 'agent connected',
      resource: `host:${hostId}`,
      source: address,
      ...(reason !== undefined && { reason: reason.slice(0, 200) }),
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

  /** An agent's chain was replaced (its database wiped or restored): its events are taken with their new numbering. */
  reset({ hostId, heldSeq, afterSeq }: { hostId: number; heldSeq: number; afterSeq: number }): void {
    this.deps.log.warn({ hostId, heldSeq, afterSeq }, "a fleet agent's chain was replaced; taking its events with their new numbering");
    this.record({
      type: 'fleet.agent_reset',
      severity: 'warning',
      action: 'take a replaced agent chain',
      resource: `host:${hostId}`,
      reason: `the agent's chain is not the one held up to its event ${heldSeq}; its events are taken again after ${afterSeq}`,
      details: { hostId, heldSeq, afterSeq },
    });
  }

  private record(event: {
    type: string;
    severity: 'info' | 'notice' | 'warning';
    action: string;
    resource: string;
    reason?: string;
    source?: string | null;
    details: { hostId: number; refused?: string; heldSeq?: number; afterSeq?: number };
  }): void {
    this.deps.audit
      .append({ ...event, actor: 'system', module: 'fleet', method: 'fleet' })
      .catch((error: unknown) => this.deps.log.warn({ err: (error as Error).message, type: event.type }, 'could not record a fleet connection event'));
  }
}
