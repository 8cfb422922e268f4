import type { EscalationLevel, FailureClass } from './incident';
import { automationAllowed } from './escalation';
import type { Autonomy } from './module-schema';

export type RecoveryActionKind = 'retry' | 'restart' | 'repair' | 'config_sync' | 'shed' | 'escalate' | 'wait_dependency' | 'none';

export interface RecoveryDecision {
  action: RecoveryActionKind;
  /** The action waits for an operator (autonomy tier "approval"). */
  needsApproval: boolean;
  /** The action runs now but an operator should look at it afterwards (tier "review"). */
  flagged: boolean;
  why: string;
}

export interface PlanInput {
  failureClass: FailureClass;
  autonomy: Autonomy;
  observeOnly: boolean;
  inMaintenance: boolean;
  dependenciesDown: readonly string[];
  /** Restarts so far (inside the budget's window when there is one), and the module's budget. */
  attempts: number;
  maxAttempts: number;
  /** The budget's sliding window: at most maxAttempts restarts in any this many seconds. */
  windowSeconds?: number;
  canRestart: boolean;
  canRepair: boolean;
  canConfigSync: boolean;
  /** The incident's level: 2 means "restart", 5 means a human owns it and automation stops. */
  escalationLevel: EscalationLevel;
}

/** Failure class to action: transient → retry, degradation → shed, service failure → restart, corruption → repair, drift → config sync, critical → a human. */
export function planRecovery(input: PlanInput): RecoveryDecision {
  const tiered = (action: RecoveryActionKind, why: string): RecoveryDecision => ({
    action,
    needsApproval: input.autonomy === 'approval',
    flagged: input.autonomy === 'review',
    why,
  });
  const none = (why: string): RecoveryDecision => ({ action: 'none', needsApproval: false, flagged: false, why });
  if (input.observeOnly) return none('the module is set to observe only');
  if (input.inMaintenance) return none('in a maintenance window: no automatic action');
  if (!automationAllowed(input.escalationLevel)) return none('escalated to a human: automation has stopped');
  if (input.dependenciesDown.length > 0) {
    return {
      action: 'wait_dependency',
      needsApproval: false,
      flagged: false,
      why: `waiting for ${input.dependenciesDown.join(', ')}: restarting a dependent while its dependency is down does not help`,
    };
  }
  // At level 2 a transient failure that outlived its retries, or a degradation that outlived
  // shedding (a leak, a wedged process), is recovered as a service failure: a restart.
  const promoted = input.escalationLevel >= 2 && (input.failureClass === 'transient' || input.failureClass === 'degradation');
  switch (promoted ? 'service_failure' : input.failureClass) {
    case 'transient':
      return { action: 'retry', needsApproval: false, flagged: false, why: 'transient: probe again with back-off and jitter' };
    case 'degradation':
      return { action: 'shed', needsApproval: false, flagged: false, why: 'degraded: the degradation levels shed optional features; watching' };
    case 'service_failure':
      if (!input.canRestart) return { action: 'escalate', needsApproval: false, flagged: false, why: 'service failure and no way to restart it is configured' };
      if (input.attempts >= input.maxAttempts) {
        const spent = input.windowSeconds
          ? `${input.attempts} restarts in the last ${spanOf(input.windowSeconds)}; at most ${input.maxAttempts}`
          : `${input.attempts} of ${input.maxAttempts}`;
        return { action: 'escalate', needsApproval: false, flagged: false, why: `restart budget spent (${spent})` };
      }
      return tiered(
        'restart',
        `service failure: restart (attempt ${input.attempts + 1} of ${input.maxAttempts}${input.windowSeconds ? ` in ${spanOf(input.windowSeconds)}` : ''})`,
      );
    case 'data_corruption':
      return input.canRepair
        ? tiered('repair', 'data corruption: run the repair hook')
        : { action: 'escalate', needsApproval: false, flagged: false, why: 'data corruption and no repair hook: restore from a snapshot' };
    case 'drift':
      return input.canConfigSync
        ? tiered('config_sync', 'configuration drift: run the config-sync hook')
        : { action: 'escalate', needsApproval: false, flagged: false, why: 'configuration drift and no config-sync hook' };
    case 'critical':
      return { action: 'escalate', needsApproval: false, flagged: false, why: 'critical: a human decides' };
  }
}

/** 600 → "10 min", 90 → "90 s", 7200 → "2 h". */
function spanOf(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** Exponential back-off with "equal jitter" (half fixed, half random), for retries and restarts. */
export function backoffMs({
  attempt,
  initialMs,
  maxMs,
  random = Math.random,
}: {
  attempt: number;
  initialMs: number;
  maxMs: number;
  random?: () => number;
}): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
