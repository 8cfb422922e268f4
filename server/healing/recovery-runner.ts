import type { IncidentSummary } from '@/lib/healing/incident';
import { planRecovery } from '@/lib/healing/recovery-plan';
import type { IncidentManager } from './incident-manager';
import type { ModuleRuntime } from './module-runtime';
import type { ModuleStats } from './module-stats';
import type { AuditEventInput } from '@/lib/audit/types';
import { HealingError } from './healing-error';
import { canRestart, restartModule, runModuleHook } from './recovery-actions';
import { chargeRestart, mayRestartAutomatically } from './restart-budget';

export type RecoveryAction = 'restart' | 'repair' | 'config_sync';

export interface RecoveryRunnerDeps {
  incidents: IncidentManager;
  stats: ModuleStats;
  audit: { append(input: AuditEventInput): Promise<unknown> };
  searchPath: string;
  /** How long an action waits for approval before it lapses (and the incident escalates). */
  approvalTimeoutMs: number;
  /** False once the engine closed or the module was removed or redefined: a delayed restart is then dropped. */
  isCurrent: (runtime: ModuleRuntime) => boolean;
  /** Verifies an action by probing again after this delay. */
  reprobe: (runtime: ModuleRuntime, delayMs: number) => void;
  /** The module table changed (an approval is pending). */
  changed: () => void;
}

const spoken = (action: RecoveryAction) => action.replace('_', ' ');

/** Recover → verify → escalate: what the engine does about a failing module once its incident is open. */
export class RecoveryRunner {
  constructor(private readonly deps: RecoveryRunnerDeps) {}

  /** Plans the next action by the module's autonomy, budget and tier, and runs it or asks for approval. */
  async act(runtime: ModuleRuntime, incident: IncidentSummary, dependenciesDown: string[]): Promise<void> {
    const definition = runtime.definition;
    if (runtime.restarting || runtime.pendingApproval) return;
    const decision = planRecovery({
      failureClass: incident.failureClass,
      escalationLevel: incident.escalationLevel,
      autonomy: definition.autonomy,
      observeOnly: definition.observeOnly,
      inMaintenance: false,
      dependenciesDown,
      attempts: runtime.restartsInWindow(),
      maxAttempts: definition.restartPolicy.maxAttempts,
      windowSeconds: definition.restartPolicy.windowSeconds,
      canRestart: mayRestartAutomatically(runtime),
      canRepair: definition.repair !== undefined,
      canConfigSync: definition.configSync !== undefined,
    });
    if (decision.action === 'none' || decision.action === 'retry' || decision.action === 'shed' || decision.action === 'wait_dependency') return;
    if (decision.action === 'escalate') return this.deps.incidents.escalate(incident, Math.max(3, incident.escalationLevel) as 3, decision.why);
    if (decision.needsApproval) return this.requestApproval(runtime, incident, decision.action, decision.why);
    await this.execute(runtime, incident, decision.action, decision.why, decision.flagged ? 'healing (flagged for review)' : 'healing');
  }

  private async requestApproval(runtime: ModuleRuntime, incident: IncidentSummary, action: RecoveryAction, why: string): Promise<void> {
    runtime.pendingApproval = action;
    runtime.approvalExpiresAt = Date.now() + this.deps.approvalTimeoutMs;
    await this.deps.incidents.step(incident, 'approval', `${spoken(action)} waits for an operator's approval: ${why}`, {
      action,
      why,
      expiresAt: new Date(runtime.approvalExpiresAt).toISOString(),
    });
    this.deps.changed();
  }

  /** An operator's answer to the pending action: approved runs it now, rejected hands it to people. */
  async decideApproval(runtime: ModuleRuntime, action: RecoveryAction, approve: boolean, actor: string): Promise<void> {
    runtime.pendingApproval = null;
    const { incidents } = this.deps;
    const incident = runtime.incidentId ? incidents.get(runtime.incidentId) : undefined;
    if (incident)
      await incidents.step(incident, 'approval', `${spoken(action)} ${approve ? 'approved' : 'rejected'} by ${actor}`, { action, approved: approve, actor });
    if (approve) await this.execute(runtime, incident, action, `approved by ${actor}`, actor);
    else if (incident) await incidents.escalate(incident, 3, `${actor} rejected the ${spoken(action)}`);
  }

  /** A restart asked for by an operator: outside the automatic budget and tiers, but audited. */
  async restartByOperator(runtime: ModuleRuntime, actor: string, reason: string): Promise<void> {
    const name = runtime.name;
    if (!canRestart(runtime.definition)) throw new HealingError('conflict', `${name} has no way to restart: configure restart.command or restart.http`);
    const incident = runtime.incidentId ? this.deps.incidents.get(runtime.incidentId) : undefined;
    // The incident's own step records the restart when there is one; the audit trail must count it once.
    await this.deps.audit.append({
      type: 'module.restart_requested',
      severity: 'notice',
      actor,
      action: `restart ${name}`,
      module: name,
      reason,
      method: 'operator action',
      details: { incidentId: incident?.id ?? null },
    });
    runtime.nextRestartAt = 0;
    await this.execute(runtime, incident, 'restart', reason, actor);
  }

  /** Runs a recovery action, then verifies it by probing again right away. */
  async execute(runtime: ModuleRuntime, incident: IncidentSummary | undefined, action: RecoveryAction, why: string, actor: string): Promise<void> {
    const { incidents, searchPath } = this.deps;
    if (action === 'restart') {
      const wait = runtime.nextRestartAt - Date.now();
      if (wait > 0) {
        runtime.restarting = true;
        await new Promise((resolve) => setTimeout(resolve, wait));
        runtime.restarting = false;
        if (!this.deps.isCurrent(runtime) || (runtime.state === 'up' && !runtime.supervisor)) return;
      }
      runtime.restarting = true;
      chargeRestart(runtime);
      this.deps.stats.restarted(runtime.name, Date.now());
    }
    const outcome =
      action === 'restart'
        ? await restartModule(runtime, searchPath)
        : await runModuleHook(action === 'repair' ? 'repair' : 'configSync', runtime.definition, searchPath);
    runtime.restarting = false;
    if (incident) {
      await incidents.step(incident, 'action', `${spoken(action)}: ${outcome.message}`, {
        action,
        ok: outcome.ok,
        durationMs: outcome.durationMs,
        attempt: runtime.restartAttempts,
        why,
        actor,
      });
      if (!outcome.ok) {
        if (action === 'restart') runtime.restartBroken = true;
        await incidents.escalate(incident, 3, `${spoken(action)} failed: ${outcome.message}`);
      } else if (incident.escalationLevel < 2) await incidents.escalate(incident, 2, `${spoken(action)} attempted`);
    }
    this.deps.reprobe(runtime, runtime.definition.kind === 'process' ? 250 : 500);
  }
}
