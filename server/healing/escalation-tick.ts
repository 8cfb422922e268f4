import type { IncidentSummary } from '@/lib/healing/incident';
import { escalationLevelAt, type EscalationPolicy } from '@/lib/healing/escalation';
import type { IncidentManager } from './incident-manager';
import type { ModuleRuntime } from './module-runtime';
import { restartsExhausted } from './restart-budget';

export interface EscalationTickDeps {
  incidents: IncidentManager;
  runtime: (module: string) => ModuleRuntime | undefined;
  policy: () => EscalationPolicy;
  /** Acts again on a module still failing whose incident just climbed a level. */
  act: (runtime: ModuleRuntime, incident: IncidentSummary) => Promise<void>;
}

/** Reminders, approvals nobody gave in time, and every open incident's climb up the escalation ladder. */
export async function escalateOpenIncidents({ incidents, runtime: runtimeOf, policy, act }: EscalationTickDeps, now = Date.now()): Promise<void> {
  await incidents.remind(now);
  for (const incident of incidents.openIncidents()) {
    const runtime = runtimeOf(incident.module);
    if (!runtime) continue;
    if (runtime.pendingApproval && now > runtime.approvalExpiresAt) {
      const action = runtime.pendingApproval;
      runtime.pendingApproval = null;
      await incidents.escalate(incident, 3, `nobody approved the ${action.replace('_', ' ')} in time; it was not run`);
    }
    const { level, why } = escalationLevelAt({
      openedAt: incident.openedAt,
      now: new Date(now),
      attempts: runtime.consecutiveFailures,
      restartsExhausted: restartsExhausted(runtime, now),
      policy: policy(),
      atLeast: incident.failureClass === 'critical' ? 5 : undefined,
    });
    const before = incident.escalationLevel;
    await incidents.escalate(incident, level, why);
    if (incident.escalationLevel > before && (runtime.state === 'down' || runtime.state === 'degraded')) await act(runtime, incident);
  }
}
