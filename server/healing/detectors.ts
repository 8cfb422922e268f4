import type { Finding } from '@/lib/healing/diagnosis';
import type { ModuleDefinition } from '@/lib/healing/module-schema';
import type { LatencyBaseline, ProbeWindow } from './probe-window';
import type { ProcessExit } from './supervisor';

/**
 * Sliding-window detectors over the module's recent probes: error rate over the
 * last minute, and latency P95 against the learned baseline (the baseline floored at 5 ms and
 * the excess at `latencyFloorMs`, so a loopback service is not "degraded" by scheduling jitter).
 */
export function windowFindings(module: ModuleDefinition, window: ProbeWindow, baseline: LatencyBaseline, now: number): Finding[] {
  const findings: Finding[] = [];
  const windowMs = module.detection.errorWindowSeconds * 1000;
  const { rate, total } = window.errorRate(windowMs, now);
  // At one probe a minute, one failure is 100 %: the failure threshold handles that case.
  if (total >= 4 && rate > module.detection.errorRate) {
    findings.push({
      kind: 'error_rate',
      message: `${Math.round(rate * 100)} % of probes failed in the last ${module.detection.errorWindowSeconds} s`,
      evidence: { rate: Math.round(rate * 1000) / 1000, probes: total, threshold: module.detection.errorRate },
    });
  }
  const p95 = window.p95(windowMs, now);
  const normal = baseline.current;
  if (p95 !== null && normal !== null && overBaseline(module, baseline, p95)) {
    findings.push({
      kind: 'latency',
      message: `latency P95 ${Math.round(p95)} ms is over ${module.detection.latencyFactor}x its baseline of ${Math.round(normal)} ms`,
      evidence: { p95, baseline: Math.round(normal * 10) / 10, factor: module.detection.latencyFactor },
    });
  }
  return findings;
}

/** Slower than the latency factor allows over the learned baseline; false while there is none. */
export function overBaseline(module: ModuleDefinition, baseline: LatencyBaseline, latencyMs: number | null): boolean {
  const normal = baseline.current;
  return (
    latencyMs !== null &&
    normal !== null &&
    latencyMs > module.detection.latencyFactor * Math.max(normal, 5) &&
    latencyMs - normal >= module.detection.latencyFloorMs
  );
}

/** A supervised process ended: a signal is named as a kill (whose cause diagnosis weighs), a code as an exit. */
export function exitFinding(exit: ProcessExit): Finding {
  const limit = exit.memoryLimitKill?.limitBytes;
  const how =
    limit !== undefined
      ? `killed by signal ${exit.signal} at its memory limit of ${Math.round(limit / 1024 ** 2)} MiB`
      : exit.signal
        ? `killed by signal ${exit.signal}`
        : `process exited with code ${exit.code}`;
  const evidence = { code: exit.code, signal: exit.signal, ...(limit !== undefined ? { memoryLimitBytes: limit } : {}) };
  return { kind: 'process_exited', message: `${how} after ${Math.round(exit.uptimeMs / 1000)} s`, evidence };
}
