import type { Finding } from '@/lib/healing/diagnosis';
import type { ProbeFacts } from '@/lib/healing/conditions/condition-evaluate';
import type { VantageSummary } from '@/lib/healing/vantage-schema';

export interface ProbeResult {
  ok: boolean;
  /** Time to answer; null when there was no answer. */
  latencyMs: number | null;
  /** One line for the module table. */
  message: string;
  /** What went wrong (on failure), or a warning on success (e.g. a certificate expiring). */
  finding?: Finding;
  /** What the probe saw, for the module's conditions ([STATUS], [BODY], …). */
  facts?: ProbeFacts;
  /** For a module probed from several hosts: the quorum's verdict and every vote. */
  vantage?: VantageSummary;
}

export const elapsedMs = (started: number): number => Math.round((performance.now() - started) * 10) / 10;

export const failed = (kind: Finding['kind'], message: string, latencyMs: number | null = null, evidence: Finding['evidence'] = {}): ProbeResult => ({
  ok: false,
  latencyMs,
  message,
  finding: { kind, message, evidence },
});

/** Node's socket errors, named the way an operator reads them. */
export function networkFailure(error: NodeJS.ErrnoException, started: number): ProbeResult {
  const elapsed = Math.round(performance.now() - started);
  if (error.code === 'ECONNREFUSED') return failed('connection_refused', 'connection refused', null, { code: error.code });
  if (error.name === 'TimeoutError' || error.code === 'ETIMEDOUT' || error.message === 'timeout')
    return failed('timeout', `no answer within ${elapsed} ms`, null, { timeoutMs: elapsed });
  return failed('probe_failed', error.code ? `${error.code}: ${error.message}` : error.message, null, { code: error.code ?? null });
}
