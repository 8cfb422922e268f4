import { describe, expect, it } from 'vitest';
import { diagnose, type DiagnosisInput, type Finding } from './diagnosis';

const finding = (kind: Finding['kind'], evidence: Finding['evidence'] = {}): Finding => ({ kind, message: kind, evidence });
const input = (over: Partial<DiagnosisInput>): DiagnosisInput => ({
  findings: [],
  critical: false,
  consecutiveFailures: 3,
  failureThreshold: 3,
  recentRestarts: 0,
  host: { cpuPercent: 10, memoryPercent: 30 },
  dependenciesDown: [],
  dependents: 0,
  ...over,
});

describe('diagnose', () => {
  it('blames a dead dependency first, with high confidence', () => {
    const d = diagnose(input({ findings: [finding('connection_refused')], dependenciesDown: ['db'] }));
    expect(d).toMatchObject({ rootCause: 'dependency_failure', failureClass: 'transient' });
    expect(d.confidence).toBeGreaterThanOrEqual(0.7);
    expect(d.reasons[0]).toMatch(/depends on db/);
  });

  it('reads a SIGKILL under memory pressure as the OOM killer', () => {
    const d = diagnose(input({ findings: [finding('process_exited', { signal: 'SIGKILL' })], host: { cpuPercent: 20, memoryPercent: 97 } }));
    expect(d).toMatchObject({ rootCause: 'resource_exhaustion', failureClass: 'service_failure' });
  });

  it('reads a kill from outside as a kill, not a code bug; a crash signal or an exit code is still the code', () => {
    const killed = diagnose(input({ findings: [finding('process_exited', { signal: 'SIGKILL', code: null })] }));
    expect(killed).toMatchObject({ rootCause: 'killed_by_signal', failureClass: 'service_failure' });
    expect(killed.reasons).toContain('killed by signal SIGKILL (external kill or OOM)');
    expect(killed.confidence).toBeGreaterThanOrEqual(0.7);
    const terminated = diagnose(input({ findings: [finding('process_exited', { signal: 'SIGTERM', code: null })] }));
    expect(terminated).toMatchObject({ rootCause: 'killed_by_signal', reasons: ['killed by signal SIGTERM (stopped from outside)'] });
    // Killed again and again is still killed, not a crash loop of the code.
    expect(diagnose(input({ findings: [finding('process_exited', { signal: 'SIGKILL', code: null })], recentRestarts: 3 })).rootCause).toBe('killed_by_signal');
    expect(diagnose(input({ findings: [finding('process_exited', { signal: 'SIGSEGV', code: null })] }))).toMatchObject({
      rootCause: 'code_bug',
      reasons: ['crashed with SIGSEGV'],
    });
    expect(diagnose(input({ findings: [finding('process_exited', { signal: null, code: 1 })] }))).toMatchObject({
      rootCause: 'code_bug',
      reasons: ['the process exited (code 1)'],
    });
  });

  it('calls repeated restarts a crash loop (code bug), and critical after five on a critical module', () => {
    expect(diagnose(input({ findings: [finding('process_exited', { code: 1 })], recentRestarts: 3 }))).toMatchObject({
      rootCause: 'code_bug',
      failureClass: 'service_failure',
      severity: 'high',
    });
    expect(diagnose(input({ findings: [finding('process_exited', { code: 1 })], recentRestarts: 5, critical: true }))).toMatchObject({
      failureClass: 'critical',
      severity: 'critical',
      urgency: 3,
    });
  });

  it('treats slow answers on a busy host as overload (degradation)', () => {
    expect(diagnose(input({ findings: [finding('latency')], host: { cpuPercent: 95, memoryPercent: 30 } }))).toMatchObject({
      rootCause: 'overload',
      failureClass: 'degradation',
      severity: 'warning',
    });
  });

  it('a process that exited outranks a busy host: a crash under high CPU is a service failure, not overload', () => {
    const busy = { cpuPercent: 99, memoryPercent: 30 };
    const crashed = diagnose(input({ findings: [finding('process_exited', { signal: null, code: 1 })], host: busy }));
    expect(crashed).toMatchObject({ rootCause: 'code_bug', failureClass: 'service_failure', severity: 'high' });
    expect(crashed.reasons).toEqual(['the process exited (code 1)']);
    // Slow answers before the kill are still circumstantial beside the kill itself.
    const killed = diagnose(input({ findings: [finding('process_exited', { signal: 'SIGKILL', code: null }), finding('latency')], host: busy }));
    expect(killed).toMatchObject({ rootCause: 'killed_by_signal', failureClass: 'service_failure' });
    const segfault = diagnose(input({ findings: [finding('process_exited', { signal: 'SIGSEGV', code: null }), finding('timeout')], host: busy }));
    expect(segfault).toMatchObject({ rootCause: 'code_bug', failureClass: 'service_failure' });
    // Without an exit the same host load still reads as overload.
    expect(diagnose(input({ findings: [finding('latency')], host: busy })).rootCause).toBe('overload');
  });

  it('sees 4xx answers and failed assertions as configuration drift', () => {
    expect(diagnose(input({ findings: [finding('http_status', { status: 404 })] }))).toMatchObject({ rootCause: 'configuration', failureClass: 'drift' });
    expect(diagnose(input({ findings: [finding('assertion_failed')] }))).toMatchObject({ rootCause: 'configuration' });
    expect(diagnose(input({ findings: [finding('tls_expiring', { daysLeft: 3 })], consecutiveFailures: 0 }))).toMatchObject({
      rootCause: 'configuration',
      failureClass: 'drift',
    });
  });

  it('below the failure threshold everything is transient, and timeouts point at the network', () => {
    expect(diagnose(input({ findings: [finding('timeout')], consecutiveFailures: 1 }))).toMatchObject({ failureClass: 'transient', rootCause: 'network' });
  });

  it('a failure with no evidence still gets a cause, with low confidence; dependents raise urgency', () => {
    const d = diagnose(input({ findings: [finding('probe_failed')], consecutiveFailures: 1, dependents: 2 }));
    expect(d).toMatchObject({ rootCause: 'network', urgency: 3 });
    expect(diagnose(input({ findings: [] })).confidence).toBe(0);
  });

  it('a heartbeat that stopped is split between the sender and the network: retried first', () => {
    const d = diagnose(input({ findings: [finding('heartbeat_lost')] }));
    expect(d.confidence).toBe(0.5);
    // Escalation level 2 turns a transient failure that outlives its retries into a restart.
    expect(d).toMatchObject({ failureClass: 'transient', rootCause: 'network' });
  });
});
