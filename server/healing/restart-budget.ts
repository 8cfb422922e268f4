import { backoffMs } from '@/lib/healing/recovery-plan';
import { canRestart } from './recovery-actions';
import type { ModuleRuntime } from './module-runtime';

/** The longest reset time a restart policy may have: restarts older than that count for nothing. */
export const LONGEST_RESET_MS = 86_400_000;

/** A supervised process whose restart policy says to leave it down is not restarted by the engine. */
export function autoRestartAllowed(runtime: ModuleRuntime): boolean {
  const definition = runtime.definition;
  if (definition.kind !== 'process') return true;
  if (definition.restartOn === 'never') return false;
  const exit = runtime.supervisor?.lastExit;
  return !(definition.restartOn === 'failure' && exit && exit.code === 0 && exit.signal === null && !runtime.supervisor?.running);
}

/**
 * CrashLoop back-off is forgotten after resetAfterSeconds of health since the last recovery. (Measuring
 * from the last healthy probe instead never reset it: a module probed often always has a fresh one.)
 */
export function forgetBackoffAfterHealth(runtime: ModuleRuntime, at: number): void {
  if (runtime.incidentId || at - runtime.healthySince <= runtime.definition.restartPolicy.resetAfterSeconds * 1000) return;
  runtime.restartAttempts = 0;
  runtime.nextRestartAt = 0;
}

/** A restart about to run: counted in the window, and the next one waits longer. */
export function chargeRestart(runtime: ModuleRuntime, now = Date.now()): void {
  const policy = runtime.definition.restartPolicy;
  runtime.restartAttempts += 1;
  runtime.restartTimes.push(now);
  runtime.nextRestartAt =
    now + backoffMs({ attempt: runtime.restartsInWindow(), initialMs: policy.initialBackoffSeconds * 1000, maxMs: policy.maxBackoffSeconds * 1000 });
}

/** No restart left to try: none configured, the command failed once, or the window's attempts are used. */
export function restartsExhausted(runtime: ModuleRuntime, now: number): boolean {
  return !canRestart(runtime.definition) || runtime.restartBroken || runtime.restartsInWindow(now) >= runtime.definition.restartPolicy.maxAttempts;
}

/** Whether the engine may restart this module by itself (operators may still restart it by hand). */
export function mayRestartAutomatically(runtime: ModuleRuntime): boolean {
  // A restart command that failed or hung once is not run again by itself: people decide.
  return canRestart(runtime.definition) && !runtime.restartBroken && autoRestartAllowed(runtime);
}
