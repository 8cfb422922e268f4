import type { AuditEventInput } from '@/lib/audit/types';
import type { Logger } from '../log';
import type { ProbeResult } from './probes/probe-result';
import { STARVED_LAG_MS, STARVED_LATE_START_MS } from './starvation-monitor';

/** Quiet this long after the last set-aside probe, the starvation episode is over. */
const EPISODE_QUIET_MS = 30_000;

export interface Starvation {
  /** Longest stall of Vigil's own event loop while the probe was out. */
  lagMs: number;
  /** How long after its slot the probe started. */
  lateMs: number;
}

/**
 * A timeout measured while Vigil could not run says nothing about the target: the answer may
 * have sat unread in the socket while the timer fired. Such a failure is inconclusive; any other
 * failure (refused, wrong status, failed assertion) is the target's answer and stands.
 */
export function starvationOf(input: { result: ProbeResult; lagMs: number; lateMs: number }): Starvation | null {
  const { result, lagMs, lateMs } = input;
  if (result.ok || result.finding?.kind !== 'timeout') return null;
  return lagMs > STARVED_LAG_MS || lateMs > STARVED_LATE_START_MS ? { lagMs: lagMs > STARVED_LAG_MS ? lagMs : 0, lateMs } : null;
}

/**
 * An answer's latency less the time Vigil's own loop was stalled meanwhile: the answer may have
 * waited that long to be read, and a target is not "degraded" by the worker's own backlog.
 */
export function withoutOwnLag(result: ProbeResult, lagMs: number): ProbeResult {
  if (result.latencyMs === null || lagMs <= 0) return result;
  return { ...result, latencyMs: Math.max(0, Math.round((result.latencyMs - Math.min(lagMs, result.latencyMs)) * 10) / 10) };
}

/**
 * One audit event per starvation episode, not one per probe: when thousands of probes time out
 * together because the worker was starved, the trail says so once, with the worst figures.
 */
export class InconclusiveEpisodes {
  private lastAt = -Infinity;
  /** Probes set aside since the worker started, for /metrics. */
  total = 0;

  constructor(private readonly sinks: { audit: { append(input: AuditEventInput): Promise<unknown> }; log: Logger }) {}

  note(module: string, starvation: Starvation, at: number): void {
    this.total += 1;
    const fresh = at - this.lastAt > EPISODE_QUIET_MS;
    this.lastAt = at;
    if (!fresh) return;
    const why =
      starvation.lagMs > 0 ? `Vigil's event loop stalled ${Math.round(starvation.lagMs)} ms` : `the probe started ${Math.round(starvation.lateMs)} ms late`;
    void this.sinks.audit
      .append({
        type: 'healing.probe_inconclusive',
        severity: 'warning',
        actor: 'healing',
        action: 'probe timeouts set aside while Vigil itself was starved; re-probing',
        module,
        reason: `${why}: a timeout then says nothing about the target`,
        method: 'healing',
        details: { firstModule: module, lagMs: Math.round(starvation.lagMs), lateMs: Math.round(starvation.lateMs) },
      })
      .catch((error: unknown) => this.sinks.log.warn({ err: (error as Error).message }, 'could not audit an inconclusive probe'));
  }
}
