import type { Finding } from '@/lib/healing/diagnosis';
import type { ModuleDefinition, ModuleState } from '@/lib/healing/module-schema';
import { inMaintenance } from '@/lib/healing/maintenance';
import { exitFinding } from './detectors';
import type { IncidentIntake } from './incident-intake';
import type { ModuleRuntime } from './module-runtime';
import type { ModuleStats } from './module-stats';
import { classifyProbe } from './probe-classification';
import type { ProbeResult } from './probes/probe-result';
import type { RecoveryRunner } from './recovery-runner';
import { autoRestartAllowed } from './restart-budget';
import type { ProcessExit } from './supervisor';

export interface ProbeOutcomesDeps {
  stats: ModuleStats;
  intake: IncidentIntake;
  recovery: RecoveryRunner;
  runtime: (name: string) => ModuleRuntime | undefined;
  /** The engine's state change: recorded, audited and announced there. */
  setState: (runtime: ModuleRuntime, state: ModuleState, reason: string, at: number) => Promise<void>;
  onProbe: (module: string, latencyMs: number) => void;
  /** True once the engine is closed: a process that dies then was stopped on purpose. */
  closed: () => boolean;
}

/**
 * Answering for the quorum, yet seen down from some vantage points: their problem, shown as
 * degraded, with no incident and nothing to heal.
 */
const answeringState = (result: ProbeResult): ModuleState => (result.vantage?.verdict === 'partial' ? 'degraded' : 'up');

/**
 * What a probe answer or a process exit means for a module: its state, and on a failure the
 * incident it goes into and the recovery acted on it (detect → classify → recover).
 */
export class ProbeOutcomes {
  constructor(private readonly deps: ProbeOutcomesDeps) {}

  async probed(runtime: ModuleRuntime, result: ProbeResult, at: number): Promise<void> {
    const { setState } = this.deps;
    // A probe that was under way when an operator paused the module must not overwrite "paused".
    if (runtime.paused) return;
    if (result.vantage) runtime.vantage = result.vantage;
    // No vantage point answered lately: nothing is known of the target, so its state stays as it was.
    if (result.vantage?.verdict === 'unknown') return;
    runtime.remember(result, at);
    this.deps.stats.record(runtime.name, result, at);
    if (result.latencyMs !== null) this.deps.onProbe(runtime.name, result.latencyMs);
    const verdict = classifyProbe(runtime, result, at);
    switch (verdict.kind) {
      case 'recovered':
        runtime.window.reset();
        await setState(runtime, answeringState(result), verdict.message, at);
        return this.deps.intake.recovered(runtime, at);
      case 'up':
        await setState(runtime, answeringState(result), verdict.message, at);
        runtime.lastHealthyAt = at;
        return;
      case 'degraded':
        await setState(runtime, 'degraded', verdict.findings[0].message, at);
        return this.failed(runtime, verdict.findings, at);
      case 'down':
        await setState(runtime, 'down', verdict.message, at);
        return this.failed(runtime, verdict.findings, at);
      default:
        return;
    }
  }

  /** A supervised process died: no need to wait for a probe or a threshold. */
  async processExited(runtime: ModuleRuntime, exit: ProcessExit): Promise<void> {
    if (this.deps.closed() || runtime.paused) return;
    const definition = runtime.definition as Extract<ModuleDefinition, { kind: 'process' }>;
    const finding = exitFinding(exit);
    runtime.firstFailureAt ??= exit.at;
    runtime.consecutiveFailures = Math.max(runtime.consecutiveFailures + 1, definition.failureThreshold);
    runtime.remember({ ok: false, latencyMs: null, message: finding.message, finding }, exit.at);
    await this.deps.setState(runtime, 'down', finding.message, exit.at);
    if (!autoRestartAllowed(runtime)) return;
    await this.failed(runtime, [finding], exit.at);
  }

  dependenciesDown(runtime: ModuleRuntime): string[] {
    return runtime.definition.dependsOn.filter((name) => this.deps.runtime(name)?.state === 'down');
  }

  async failed(runtime: ModuleRuntime, findings: Finding[], at: number): Promise<void> {
    if (inMaintenance(runtime.definition.maintenance, new Date(at))) return this.deps.setState(runtime, 'maintenance', 'in a maintenance window', at);
    const down = this.dependenciesDown(runtime);
    const incident = await this.deps.intake.admit(runtime, findings, at, down);
    if (incident) await this.deps.recovery.act(runtime, incident, down);
  }
}
