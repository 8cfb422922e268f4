import type { AuditEventInput, Severity } from '@/lib/audit/types';
import type { VantageSummary, VantageVerdictKind } from '@/lib/healing/vantage-schema';
import type { Logger } from '../log';

const VERDICT_EVENTS: Record<VantageVerdictKind, { type: string; severity: Severity; action: string }> = {
  down: { type: 'module.vantage_down', severity: 'high', action: 'seen down by the quorum of its vantage points' },
  partial: { type: 'module.vantage_degraded', severity: 'warning', action: 'seen down by fewer vantage points than the quorum' },
  up: { type: 'module.vantage_up', severity: 'info', action: 'seen up by its vantage points' },
  unknown: { type: 'module.vantage_unknown', severity: 'notice', action: 'no vantage point answered lately' },
};

/** Refusals of one host for one reason are recorded at most this often: a hostile agent cannot flood the chain. */
const REFUSAL_AUDIT_MS = 60_000;

/** The chain's record of vantage verdicts as they change, and of answers the console refused. */
export class VantageAudit {
  private readonly verdicts = new Map<string, VantageVerdictKind>();
  /** By host and reason: each kind of refusal is seen, none floods. */
  private readonly refusedAt = new Map<string, number>();

  constructor(private readonly deps: { audit: { append(input: AuditEventInput): Promise<unknown> }; log: Logger }) {}

  /** Each change of a module's verdict, with what every vantage point saw; a first "up" is not news. */
  async verdict(module: string, summary: VantageSummary): Promise<void> {
    const previous = this.verdicts.get(module);
    if (previous === summary.verdict) return;
    this.verdicts.set(module, summary.verdict);
    if (previous === undefined && summary.verdict === 'up') return;
    const event = VERDICT_EVENTS[summary.verdict];
    const down = summary.points.filter((point) => point.status === 'down').map((point) => point.name);
    await this.deps.audit
      .append({
        type: event.type,
        severity: event.severity,
        actor: 'healing',
        action: `${module}: ${event.action}`,
        module,
        reason: down.length ? `down from ${down.join(', ')}` : undefined,
        method: 'vantage',
        details: {
          from: previous ?? null,
          quorum: summary.quorum,
          points: summary.points.map(({ hostId, name, status, latencyMs, error }) => ({ hostId, name, status, latencyMs, error })),
        },
      })
      .catch((error: unknown) => this.deps.log.warn({ module, err: (error as Error).message }, 'could not audit a vantage verdict'));
  }

  forgetModulesBut(keep: ReadonlySet<string>): void {
    for (const name of this.verdicts.keys()) if (!keep.has(name)) this.verdicts.delete(name);
  }

  /** An answer that is not counted: forged, malformed, or for a module the host does not probe. */
  refused(hostId: number, reason: string, module: string | null): void {
    this.deps.log.warn({ hostId, module, reason }, 'refused a vantage result');
    const now = Date.now();
    const key = `${hostId}\n${reason}`;
    if (now - (this.refusedAt.get(key) ?? -Infinity) < REFUSAL_AUDIT_MS) return;
    this.refusedAt.set(key, now);
    void this.deps.audit
      .append({
        type: 'fleet.vantage_result_refused',
        severity: 'high',
        actor: `fleet:host:${hostId}`,
        action: 'refuse vantage result',
        module: 'fleet',
        resource: `host:${hostId}`,
        reason,
        method: 'fleet',
        ...(module && { details: { module } }),
      })
      .catch(() => undefined);
  }
}
