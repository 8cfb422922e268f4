import type { FailureClass, IncidentSeverity, RootCause } from './incident';

/** What a probe or a detector saw. */
export const FINDING_KINDS = [
  'probe_failed',
  'connection_refused',
  'timeout',
  'http_status',
  'assertion_failed',
  'tls_expiring',
  'heartbeat_lost',
  'error_rate',
  'latency',
  'process_exited',
  'process_missing',
  'resource_exhaustion',
  'supervisor_lost',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export interface Finding {
  kind: FindingKind;
  message: string;
  /** Numbers the decision used, shown on the incident (rate, p95, baseline, exit code…). */
  evidence: Record<string, number | string | boolean | null>;
}

export interface DiagnosisInput {
  findings: readonly Finding[];
  critical: boolean;
  consecutiveFailures: number;
  failureThreshold: number;
  /** Restarts of this module in the last 10 minutes. */
  recentRestarts: number;
  /** Host pressure at the time, 0-100. */
  host: { cpuPercent: number; memoryPercent: number };
  /** Names of this module's dependencies that are down now. */
  dependenciesDown: readonly string[];
  dependents: number;
}

export interface Diagnosis {
  failureClass: FailureClass;
  rootCause: RootCause;
  /** 0-1: how much of the evidence agrees with the root cause. */
  confidence: number;
  severity: IncidentSeverity;
  /** 1 (can wait) to 3 (now). */
  urgency: 1 | 2 | 3;
  reasons: string[];
}

/** Signals a process raises on itself when its code goes wrong (bad memory access, abort, bad instruction). */
const CRASH_SIGNALS = new Set(['SIGSEGV', 'SIGBUS', 'SIGILL', 'SIGFPE', 'SIGABRT', 'SIGSYS', 'SIGTRAP']);
/** Signals that come from outside: a person, a service manager, the kernel's OOM killer. */
const STOP_SIGNALS: Partial<Record<string, string>> = {
  SIGKILL: 'external kill or OOM',
  SIGTERM: 'stopped from outside',
  SIGINT: 'interrupted from outside',
  SIGHUP: 'its terminal or session went away',
  SIGQUIT: 'stopped from outside',
};

/** Causes read from the host's numbers and the probes' timing rather than from what happened to the process. */
const CIRCUMSTANTIAL: ReadonlySet<RootCause> = new Set(['overload', 'network']);

const has = (findings: readonly Finding[], ...kinds: FindingKind[]) => findings.some((f) => kinds.includes(f.kind));

interface Hypothesis {
  rootCause: RootCause;
  failureClass: FailureClass;
  /** Each piece of evidence for it adds its weight; confidence is the share of the total. */
  support: { weight: number; why: string }[];
}

/**
 * Weighs the evidence for each root cause, picks the best supported one and says why. The
 * weights are judgement, stated here so they can be argued with: a dead dependency explains
 * almost everything downstream; a crash loop points at the code; exhaustion needs the host's
 * numbers to agree.
 */
export function diagnose(input: DiagnosisInput): Diagnosis {
  const { findings, host } = input;
  const hypotheses: Hypothesis[] = [
    { rootCause: 'dependency_failure', failureClass: 'transient', support: [] },
    { rootCause: 'resource_exhaustion', failureClass: 'degradation', support: [] },
    { rootCause: 'overload', failureClass: 'degradation', support: [] },
    { rootCause: 'network', failureClass: 'transient', support: [] },
    { rootCause: 'code_bug', failureClass: 'service_failure', support: [] },
    { rootCause: 'killed_by_signal', failureClass: 'service_failure', support: [] },
    { rootCause: 'supervisor_lost', failureClass: 'transient', support: [] },
    { rootCause: 'configuration', failureClass: 'drift', support: [] },
    { rootCause: 'data_corruption', failureClass: 'data_corruption', support: [] },
  ];
  const add = (cause: RootCause, weight: number, why: string) => hypotheses.find((h) => h.rootCause === cause)!.support.push({ weight, why });

  if (input.dependenciesDown.length > 0)
    add('dependency_failure', 5, `depends on ${input.dependenciesDown.join(', ')}, which ${input.dependenciesDown.length > 1 ? 'are' : 'is'} down`);
  if (host.memoryPercent >= 95) add('resource_exhaustion', 3, `host memory at ${Math.round(host.memoryPercent)} %`);
  if (host.cpuPercent >= 90) add('overload', 2, `host CPU at ${Math.round(host.cpuPercent)} %`);
  if (has(findings, 'resource_exhaustion')) add('resource_exhaustion', 3, 'resources exhausted for over 2 minutes');
  if (has(findings, 'latency')) {
    add('overload', 2, 'latency P95 over twice its baseline');
    add('network', 1, 'slow answers can be the network');
  }
  if (has(findings, 'timeout')) {
    add('network', 2, 'probes time out');
    add('overload', 1, 'an overloaded service answers late');
  }
  if (has(findings, 'connection_refused', 'process_missing')) add('code_bug', 2, 'nothing listens: the service is not running');
  if (has(findings, 'process_exited')) {
    const exit = findings.find((f) => f.kind === 'process_exited')!;
    const signal = typeof exit.evidence.signal === 'string' ? exit.evidence.signal : null;
    const limit = typeof exit.evidence.memoryLimitBytes === 'number' ? exit.evidence.memoryLimitBytes : null;
    // The kernel said so: its control group reached the limit the module sets.
    if (limit !== null) add('resource_exhaustion', 6, `killed when it reached its memory limit of ${Math.round(limit / 1024 ** 2)} MiB`);
    else if (signal === 'SIGKILL' && host.memoryPercent >= 90) add('resource_exhaustion', 3, 'killed by SIGKILL while memory was high (OOM killer)');
    else if (signal && CRASH_SIGNALS.has(signal)) add('code_bug', 2, `crashed with ${signal}`);
    // Outweighs the crash-loop rule below: a process killed every few seconds is being killed, not crashing.
    else if (signal)
      add('killed_by_signal', STOP_SIGNALS[signal] ? 4 : 2, `killed by signal ${signal}${STOP_SIGNALS[signal] ? ` (${STOP_SIGNALS[signal]})` : ''}`);
    else add('code_bug', 2, `the process exited (code ${exit.evidence.code})`);
  }
  // Vigil's own worker died, not the service: the process was stopped on purpose and respawned.
  if (has(findings, 'supervisor_lost'))
    add('supervisor_lost', 5, "Vigil's worker died and left the process running unsupervised; it was stopped and respawned");
  if (input.recentRestarts >= 3) add('code_bug', 3, `${input.recentRestarts} restarts in 10 minutes: a crash loop`);
  if (has(findings, 'http_status', 'error_rate')) {
    const status = Number(findings.find((f) => f.kind === 'http_status')?.evidence.status ?? 500);
    if (status >= 400 && status < 500) add('configuration', 2, `answers ${status}: a client-side or routing error`);
    else add('code_bug', 2, 'server errors (5xx)');
  }
  if (has(findings, 'assertion_failed')) add('configuration', 2, 'the answer is not what it should be (body or JSON assertion)');
  if (has(findings, 'tls_expiring')) add('configuration', 3, 'the TLS certificate expires soon');
  if (has(findings, 'heartbeat_lost')) {
    add('network', 1, 'heartbeats stopped arriving');
    add('code_bug', 1, 'the sender stopped sending');
  }
  if (has(findings, 'probe_failed') && hypotheses.every((h) => h.support.length === 0)) add('network', 1, 'the probe failed without more evidence');

  const weightOf = (h: Hypothesis) => h.support.reduce((s, e) => s + e.weight, 0);
  const total = hypotheses.reduce((sum, h) => sum + weightOf(h), 0) || 1;
  // A process that exited is seen, not inferred: host load and slow answers around it are
  // circumstantial, so they may only win when nothing the exit points at has any support.
  const exited = has(findings, 'process_exited');
  const candidates = exited ? hypotheses.filter((h) => !CIRCUMSTANTIAL.has(h.rootCause) && weightOf(h) > 0) : [];
  const best = [...(candidates.length > 0 ? candidates : hypotheses)].sort((a, b) => weightOf(b) - weightOf(a))[0];
  const bestWeight = weightOf(best);
  const confidence = Math.round((bestWeight / total) * 100) / 100;

  let failureClass = best.failureClass;
  // Below the failure threshold a failed probe is transient whatever its cause: retry first.
  // Findings that are sustained by construction (windows, exits, lost heartbeats) are not.
  const sustained = has(findings, 'process_exited', 'heartbeat_lost', 'tls_expiring', 'error_rate', 'latency', 'resource_exhaustion');
  if (input.consecutiveFailures < input.failureThreshold && !sustained) failureClass = 'transient';
  else if (best.rootCause === 'code_bug' || has(findings, 'process_exited', 'connection_refused', 'process_missing'))
    failureClass = best.rootCause === 'dependency_failure' ? 'transient' : 'service_failure';
  // A Monit-style "restart if memory > … for 3 cycles" rule names its remedy: a restart.
  if (findings.some((f) => f.kind === 'resource_exhaustion' && f.evidence.action === 'restart')) failureClass = 'service_failure';
  if (input.critical && input.recentRestarts >= 5) failureClass = 'critical';

  const severity: IncidentSeverity =
    failureClass === 'critical' || (input.critical && failureClass === 'service_failure')
      ? 'critical'
      : failureClass === 'service_failure' || input.critical
        ? 'high'
        : 'warning';
  const urgency: 1 | 2 | 3 = severity === 'critical' || input.dependents > 0 ? 3 : severity === 'high' ? 2 : 1;
  return { failureClass, rootCause: best.rootCause, confidence: bestWeight === 0 ? 0 : confidence, severity, urgency, reasons: best.support.map((s) => s.why) };
}
