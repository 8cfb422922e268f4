import { diagnose, type Diagnosis, type Finding } from '@/lib/healing/diagnosis';
import type { ModuleRuntime } from './module-runtime';
import type { ProbeResult } from './probes/probe-result';
import { overBaseline, windowFindings } from './detectors';

/** What one probe answer means for its module, after the counters have taken it in. */
export type ProbeVerdict =
  /** Answering again after an outage, not yet for long enough (or fast enough) to call it over. */
  | { kind: 'recovering' }
  /** The outage is over: verified by enough good answers. */
  | { kind: 'recovered'; message: string }
  | { kind: 'up'; message: string }
  /** Answering, but slow, erring too often or over its resource limits. */
  | { kind: 'degraded'; findings: Finding[] }
  /** Failed, below the failure threshold: probed again sooner, nothing more yet. */
  | { kind: 'failing' }
  | { kind: 'down'; message: string; findings: Finding[] };

/** Counts the answer in the module's runtime and classifies it. */
export function classifyProbe(runtime: ModuleRuntime, result: ProbeResult, at: number): ProbeVerdict {
  const definition = runtime.definition;
  const windowed = windowFindings(definition, runtime.window, runtime.baseline, at);
  // An answering process that has been over its CPU or memory limit long enough is degraded.
  if (result.ok && result.finding?.kind === 'resource_exhaustion') windowed.push(result.finding);
  if (!result.ok) {
    runtime.consecutiveSuccesses = 0;
    runtime.consecutiveFailures += 1;
    runtime.firstFailureAt ??= at;
    if (runtime.consecutiveFailures < definition.failureThreshold) return { kind: 'failing' };
    return { kind: 'down', message: result.message, findings: [result.finding!, ...windowed] };
  }
  runtime.consecutiveFailures = 0;
  runtime.consecutiveSuccesses += 1;
  runtime.firstFailureAt = null;
  const p95 = runtime.window.p95(definition.detection.errorWindowSeconds * 1000, at);
  if (p95 !== null && !windowed.some((f) => f.kind === 'latency')) runtime.baseline.learn(p95);
  if (runtime.incidentId || runtime.foldedInto) {
    // Answering again after an outage: once verified, the outage's failures must not
    // keep the error rate high for the next minute and start a second incident.
    // A latency degradation is over when the answers are fast again, not at the first answer:
    // every probe of a slow service succeeds, so success alone would resolve it at once.
    if (runtime.state === 'degraded' && overBaseline(definition, runtime.baseline, result.latencyMs)) runtime.consecutiveSuccesses = 0;
    // Likewise a process over its CPU or memory limit has not recovered by answering.
    if (runtime.state === 'degraded' && runtime.usage.isOver) runtime.consecutiveSuccesses = 0;
    if (runtime.consecutiveSuccesses < definition.successThreshold) return { kind: 'recovering' };
    return { kind: 'recovered', message: result.message };
  }
  return windowed.length > 0 ? { kind: 'degraded', findings: windowed } : { kind: 'up', message: result.message };
}

/** The failure class of a new incident, from the findings and what surrounds the module. */
export function diagnoseModule(
  runtime: ModuleRuntime,
  findings: Finding[],
  at: number,
  context: { host: { cpuPercent: number; memoryPercent: number }; dependenciesDown: string[]; dependents: number },
): Diagnosis {
  const definition = runtime.definition;
  return diagnose({
    findings,
    critical: definition.critical,
    consecutiveFailures: runtime.consecutiveFailures,
    failureThreshold: definition.failureThreshold,
    recentRestarts: runtime.restartsWithin(600_000, at),
    ...context,
  });
}
