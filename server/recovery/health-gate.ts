import { connect } from 'node:net';
import type { HealthCheckConfig } from '@/lib/config/config-schema';
import { runProgram } from '../exec/run-program';

export interface CheckOutcome {
  check: string;
  ok: boolean;
  message: string;
}

export interface GateResult {
  ok: boolean;
  checks: CheckOutcome[];
  durationMs: number;
}

const describe = (check: HealthCheckConfig): string => ('http' in check ? `GET ${check.http}` : 'tcp' in check ? `tcp ${check.tcp}` : check.command.join(' '));

async function runCheck(check: HealthCheckConfig, timeoutMs: number, searchPath: string): Promise<CheckOutcome> {
  const name = describe(check);
  try {
    if ('http' in check) {
      const response = await fetch(check.http, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
      await response.body?.cancel();
      const ok = check.expectStatus ? response.status === check.expectStatus : response.status >= 200 && response.status < 400;
      return { check: name, ok, message: `HTTP ${response.status}` };
    }
    if ('tcp' in check) {
      const split = check.tcp.lastIndexOf(':');
      const host = check.tcp.slice(0, split).replace(/^\[|\]$/g, '');
      const port = Number(check.tcp.slice(split + 1));
      await new Promise<void>((resolve, reject) => {
        const socket = connect({ host, port, timeout: timeoutMs }, () => {
          socket.destroy();
          resolve();
        });
        socket.on('timeout', () => socket.destroy(new Error('timed out')));
        socket.on('error', reject);
      });
      return { check: name, ok: true, message: 'connected' };
    }
    const result = await runProgram(check.command, timeoutMs, searchPath);
    return { check: name, ok: result.code === 0, message: result.code === 0 ? 'exit 0' : `exit ${result.code ?? result.signal}` };
  } catch (error) {
    return { check: name, ok: false, message: (error as Error).message };
  }
}

/**
 * The post-restore gate: every check must pass, retried until `timeoutMs` because a
 * restarted service takes a moment to listen. No checks configured is a pass.
 */
export async function runHealthGate(
  { checks, timeoutMs, searchPath }: { checks: readonly HealthCheckConfig[]; timeoutMs: number; searchPath: string },
  retryEveryMs = 500,
): Promise<GateResult> {
  const started = performance.now();
  for (;;) {
    const left = timeoutMs - (performance.now() - started);
    const outcomes = await Promise.all(checks.map((check) => runCheck(check, Math.round(Math.max(250, Math.min(5000, left))), searchPath)));
    const ok = outcomes.every((outcome) => outcome.ok);
    if (ok || performance.now() - started + retryEveryMs >= timeoutMs) return { ok, checks: outcomes, durationMs: Math.round(performance.now() - started) };
    await new Promise((resolve) => setTimeout(resolve, retryEveryMs));
  }
}
