import type { Finding } from '@/lib/healing/diagnosis';
import type { IncidentSummary } from '@/lib/healing/incident';
import type { IncidentManager } from './incident-manager';
import { MassFailure } from './mass-failure';
import type { ModuleRuntime } from './module-runtime';
import { diagnoseModule } from './probe-classification';
import { forgetBackoffAfterHealth } from './restart-budget';

export interface IncidentIntakeDeps {
  incidents: IncidentManager;
  runtime: (module: string) => ModuleRuntime | undefined;
  runtimes: () => Iterable<ModuleRuntime>;
  host: () => { cpuPercent: number; memoryPercent: number };
}

/**
 * Where a module's failure goes: into the incident of a dependency that is down, into the
 * many-modules incident when too many open at once, or into one of its own; and out again.
 */
export class IncidentIntake {
  private readonly massFailure: MassFailure;

  constructor(private readonly deps: IncidentIntakeDeps) {
    this.massFailure = new MassFailure(deps.incidents);
  }

  /** The incident to act on, or null when the failure was folded into another one. */
  async admit(runtime: ModuleRuntime, findings: Finding[], at: number, dependenciesDown: string[]): Promise<IncidentSummary | null> {
    const { incidents } = this.deps;
    if (dependenciesDown.length > 0 && !runtime.incidentId) {
      const parent = this.deps.runtime(dependenciesDown[0])?.incidentId;
      const incident = parent ? incidents.get(parent) : undefined;
      if (incident) {
        runtime.foldedInto = incident.id;
        await incidents.foldDependent(incident, runtime.name);
        return null;
      }
    }
    forgetBackoffAfterHealth(runtime, at);
    if (runtime.opening) runtime.incidentId = await runtime.opening;
    const current = runtime.incidentId ? incidents.get(runtime.incidentId) : undefined;
    if (current) return current;
    if (this.massFailure.has(runtime.name)) return null;
    if (!this.massFailure.admit(at)) {
      runtime.foldedInto = (await this.massFailure.join(runtime.name, findings[0], at)).id;
      // Removed while it was joining (a reconcile ran during the write): it must not stay a member.
      if (this.deps.runtime(runtime.name) !== runtime) await this.massFailure.leave(runtime.name, Date.now());
      return null;
    }
    const dependents = [...this.deps.runtimes()].filter((r) => r.definition.dependsOn.includes(runtime.name)).length;
    const diagnosis = diagnoseModule(runtime, findings, at, { host: this.deps.host(), dependenciesDown, dependents });
    const opening = incidents.openIncident({
      module: runtime.name,
      critical: runtime.definition.critical,
      diagnosis,
      findings,
      firstFailureAt: runtime.firstFailureAt ?? at,
      detectedAt: at,
    });
    runtime.opening = opening.then((opened) => opened.id);
    try {
      const incident = await opening;
      runtime.incidentId = incident.id;
      return incident;
    } finally {
      runtime.opening = null;
    }
  }

  /** Answering again, verified: its incident resolves with the proof. */
  async recovered(runtime: ModuleRuntime, at: number): Promise<void> {
    runtime.lastHealthyAt = at;
    runtime.healthySince = at;
    runtime.restartBroken = false;
    runtime.foldedInto = null;
    await this.massFailure.leave(runtime.name, at);
    if (!runtime.incidentId) return;
    const incident = this.deps.incidents.get(runtime.incidentId);
    runtime.incidentId = null;
    runtime.pendingApproval = null;
    if (!incident) return;
    await this.deps.incidents.step(incident, 'verified', `${runtime.definition.successThreshold} probe(s) passed: ${runtime.last?.message ?? 'up'}`, {}, at);
    await this.deps.incidents.resolve(incident, `${runtime.name} is up again`, at);
  }

  /** A module removed or redefined must hold no incident open, its own or the many-modules one. */
  async removed(runtime: ModuleRuntime): Promise<void> {
    await this.massFailure.leave(runtime.name, Date.now());
    const incident = runtime.incidentId ? this.deps.incidents.get(runtime.incidentId) : undefined;
    if (incident) await this.deps.incidents.resolve(incident, `${runtime.name} was removed or redefined`);
  }
}
