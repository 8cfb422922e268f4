import type { IncidentNotification, IncidentSummary } from '@/lib/healing/incident';
import type { ModuleDefinition, ModuleState } from '@/lib/healing/module-schema';
import type { Finding } from '@/lib/healing/diagnosis';
import { diagnose } from '@/lib/healing/diagnosis';
import { planRecovery, backoffMs } from '@/lib/healing/recovery-plan';
import { escalationLevelAt, type EscalationPolicy } from '@/lib/healing/escalation';
import { inMaintenance } from '@/lib/healing/maintenance';
import type { AuditEventInput } from '@/lib/audit/types';
import type { Database } from '../db/client';
import type { Logger } from '../log';
import { readRecentRestarts } from '../queries/module-restarts';
import { exitFinding, overBaseline, windowFindings } from './detectors';
import { IncidentManager } from './incident-manager';
import { ModuleRuntime } from './module-runtime';
import { moduleView, type ModuleView } from './module-view';
import { ModuleStats } from './module-stats';
import { MassFailure } from './mass-failure';
import { probeModule } from './probe-module';
import { ProbePacer } from './probe-pacer';
import type { ProbeResult } from './probes/probe-result';
import { canRestart, restartModule, runModuleHook } from './recovery-actions';
import { SupervisedProcess, STOP_GRACE_MS, type ProcessExit } from './supervisor';
import { orphanFinding, stopOrphans, type StoppedOrphan } from './orphans';
import type { ProcessRecords } from './process-records';

/** The longest reset time a restart policy may have: restarts older than that count for nothing. */
const LONGEST_RESET_MS = 86_400_000;

export interface HealingEngineOptions {
  database: Database;
  audit: { append(input: AuditEventInput): Promise<unknown> };
  log: Logger;
  searchPath: string;
  /** Config-file modules and console-defined ones, merged; read at every reconcile. */
  modules: () => { definition: ModuleDefinition; source: 'config' | 'console' }[];
  escalation: () => EscalationPolicy;
  host: () => { cpuPercent: number; memoryPercent: number };
  onModules?: (modules: ModuleView[]) => void;
  onIncident?: (incident: IncidentSummary) => void;
  notify?: (notification: IncidentNotification) => void;
  /** Every probe answer with a latency, for the metrics' latency histogram. */
  onProbe?: (module: string, latencyMs: number) => void;
  /** How long an action waits for approval before it lapses (and the incident escalates). */
  approvalTimeoutMs: number;
  /** Where supervised processes are recorded, so a worker back from a crash stops what its predecessor left running. */
  processRecords?: ProcessRecords;
}

type RecoveryAction = 'restart' | 'repair' | 'config_sync';

export class HealingError extends Error {
  constructor(
    readonly code: 'not-found' | 'conflict' | 'forbidden' | 'bad-input',
    message: string,
  ) {
    super(message);
    this.name = 'HealingError';
  }
}

const ESCALATION_TICK_MS = 5000;
/** The module list goes out at most this often: 2,000 modules turning up at start must not send it 2,000 times. */
const MODULES_EMIT_MS = 250;

/** Probe → detect → classify → recover → verify → escalate, for every module. */
export class HealingEngine {
  private readonly runtimes = new Map<string, ModuleRuntime>();
  readonly incidents: IncidentManager;
  private readonly stats: ModuleStats;
  private escalationTimer: NodeJS.Timeout | null = null;
  private emitTimer: NodeJS.Timeout | null = null;
  private lastEmitAt = 0;
  readonly pacer: ProbePacer;
  private readonly massFailure: MassFailure;
  private closed = false;
  private started = false;
  /** Restarts before this worker started, per module, from the audit trail; read once by the first reconcile. */
  private pastRestarts = new Map<string, number[]>();
  /** Processes a crashed predecessor left running, stopped at start: each module's incident says so. */
  private readonly stoppedOrphans = new Map<string, StoppedOrphan>();
  /** Scheduling drift of each probe start (ms late), for the benchmark and /metrics. */
  readonly drift: number[] = [];

  constructor(private readonly options: HealingEngineOptions) {
    this.incidents = new IncidentManager({
      ...options,
      silenced: (module, at) => {
        const runtime = this.runtimes.get(module);
        return runtime !== undefined && inMaintenance(runtime.definition.maintenance, at);
      },
    });
    this.stats = new ModuleStats(options.database, options.log);
    this.pacer = new ProbePacer(options);
    this.massFailure = new MassFailure(this.incidents);
  }

  async start(): Promise<void> {
    // Once closed, never again: a leader that lost its lock closes the engine while its start may still be under way.
    if (this.closed || this.started) return;
    this.started = true;
    this.pastRestarts = await readRecentRestarts(this.options.database, new Date(Date.now() - LONGEST_RESET_MS)).catch(() => new Map<string, number[]>());
    const { processRecords: records, log, audit } = this.options;
    // Before any spawn: an orphan still holds the port its module's new process will listen on.
    if (records) for (const orphan of await stopOrphans({ records, graceMs: STOP_GRACE_MS, log, audit })) this.stoppedOrphans.set(orphan.record.module, orphan);
    this.pacer.start();
    await this.reconcile();
    this.pastRestarts.clear();
    this.escalationTimer = setInterval(() => void this.escalationTick(), ESCALATION_TICK_MS);
    this.escalationTimer.unref();
    this.stats.start();
  }

  /** Brings the running modules in line with the definitions: add, replace changed, remove gone. */
  async reconcile(): Promise<void> {
    // A standby's engine is never started: changed definitions wait until it leads.
    if (!this.started || this.closed) return;
    const wanted = new Map(this.options.modules().map((m) => [m.definition.name, m]));
    for (const [name, runtime] of this.runtimes) {
      const next = wanted.get(name);
      if (!next || JSON.stringify(next.definition) !== JSON.stringify(runtime.definition)) await this.removeRuntime(runtime);
    }
    for (const [name, { definition, source }] of wanted) {
      if (this.runtimes.has(name)) continue;
      const runtime = new ModuleRuntime(definition, source);
      runtime.recallRestarts(this.pastRestarts.get(name) ?? [], Date.now());
      this.runtimes.set(name, runtime);
      if (definition.kind === 'process') {
        runtime.supervisor = new SupervisedProcess(definition, { searchPath: this.options.searchPath, onExit: (exit) => void this.onProcessExit(runtime, exit), records: this.options.processRecords });
        await runtime.supervisor.start().catch((error: unknown) => runtime.supervisor?.logs.note(`could not start: ${(error as Error).message}`));
        const orphan = this.stoppedOrphans.get(name);
        this.stoppedOrphans.delete(name);
        if (orphan) await this.onFailure(runtime, [orphanFinding(orphan)], orphan.at);
      }
      this.schedule(runtime, this.pacer.firstDelayMs(definition));
    }
    this.emitModules();
  }

  private async removeRuntime(runtime: ModuleRuntime): Promise<void> {
    if (runtime.timer) clearTimeout(runtime.timer);
    this.runtimes.delete(runtime.name);
    await runtime.supervisor?.close();
    // A module that no longer exists must not hold the many-modules incident open.
    await this.massFailure.leave(runtime.name, Date.now());
    // Its incident would otherwise stay open for a module that no longer exists as it was.
    const incident = runtime.incidentId ? this.incidents.get(runtime.incidentId) : undefined;
    if (incident) await this.incidents.resolve(incident, `${runtime.name} was removed or redefined`);
  }

  /** A supervised process whose restart policy says to leave it down is not restarted by the engine. */
  private autoRestartAllowed(runtime: ModuleRuntime): boolean {
    const definition = runtime.definition;
    if (definition.kind !== 'process') return true;
    if (definition.restartOn === 'never') return false;
    const exit = runtime.supervisor?.lastExit;
    return !(definition.restartOn === 'failure' && exit && exit.code === 0 && exit.signal === null && !runtime.supervisor?.running);
  }

  private schedule(runtime: ModuleRuntime, delayMs: number): void {
    if (this.closed || this.runtimes.get(runtime.name) !== runtime) return;
    if (runtime.timer) clearTimeout(runtime.timer);
    runtime.nextProbeAt = Date.now() + delayMs;
    runtime.timer = setTimeout(() => void this.probe(runtime), delayMs);
  }

  private async probe(runtime: ModuleRuntime): Promise<void> {
    const plannedAt = runtime.nextProbeAt;
    const definition = runtime.definition;
    if (runtime.paused) return this.schedule(runtime, this.pacer.nextDelayMs(definition, plannedAt));
    const { result, starvation, startedAt } = await this.pacer.run({ module: runtime.name, plannedAt, probe: (at) => probeModule(runtime, this.options.searchPath, at) });
    this.drift.push(startedAt - plannedAt);
    if (this.drift.length > 10_000) this.drift.splice(0, 5000);
    if (this.runtimes.get(runtime.name) !== runtime) return;
    // Vigil could not run while this probe waited: not a failure of the target, ask again soon.
    if (starvation) return this.schedule(runtime, this.pacer.inconclusiveRetryMs());
    // Each module keeps its own slot in the interval, so slow probes neither drift the cadence nor bunch up.
    const next = this.pacer.nextDelayMs(definition, plannedAt);
    const retry = !result.ok && runtime.consecutiveFailures + 1 < definition.failureThreshold;
    // A failure below the threshold is re-probed sooner: retry with back-off and jitter.
    this.schedule(runtime, retry ? Math.min(next, backoffMs({ attempt: runtime.consecutiveFailures, initialMs: 500, maxMs: definition.intervalSeconds * 1000 })) : next);
    await this.handleResult(runtime, result, Date.now());
  }

  private async handleResult(runtime: ModuleRuntime, result: ProbeResult, at: number): Promise<void> {
    runtime.remember(result, at);
    this.stats.record(runtime.name, result, at);
    if (result.latencyMs !== null) this.options.onProbe?.(runtime.name, result.latencyMs);
    const definition = runtime.definition;
    const windowed = windowFindings(definition, runtime.window, runtime.baseline, at);
    // An answering process that has been over its CPU or memory limit long enough is degraded.
    if (result.ok && result.finding?.kind === 'resource_exhaustion') windowed.push(result.finding);
    if (result.ok) {
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
        if (runtime.consecutiveSuccesses < definition.successThreshold) return;
        runtime.window.reset();
        await this.setState(runtime, 'up', result.message, at);
        return this.onHealthy(runtime, at);
      }
      const degraded = windowed.length > 0;
      await this.setState(runtime, degraded ? 'degraded' : 'up', degraded ? windowed[0].message : result.message, at);
      if (degraded) await this.onFailure(runtime, windowed, at);
      else runtime.lastHealthyAt = at;
      return;
    }
    runtime.consecutiveSuccesses = 0;
    runtime.consecutiveFailures += 1;
    runtime.firstFailureAt ??= at;
    const findings = [result.finding!, ...windowed];
    if (runtime.consecutiveFailures >= definition.failureThreshold) {
      await this.setState(runtime, 'down', result.message, at);
      await this.onFailure(runtime, findings, at);
    }
  }

  /** A supervised process died: no need to wait for a probe or a threshold. */
  private async onProcessExit(runtime: ModuleRuntime, exit: ProcessExit): Promise<void> {
    if (this.closed || runtime.paused) return;
    const definition = runtime.definition as Extract<ModuleDefinition, { kind: 'process' }>;
    const finding = exitFinding(exit);
    runtime.firstFailureAt ??= exit.at;
    runtime.consecutiveFailures = Math.max(runtime.consecutiveFailures + 1, definition.failureThreshold);
    runtime.remember({ ok: false, latencyMs: null, message: finding.message, finding }, exit.at);
    await this.setState(runtime, 'down', finding.message, exit.at);
    if (!this.autoRestartAllowed(runtime)) return;
    await this.onFailure(runtime, [finding], exit.at);
  }

  private dependenciesDown(runtime: ModuleRuntime): string[] {
    return runtime.definition.dependsOn.filter((name) => this.runtimes.get(name)?.state === 'down');
  }

  private async onFailure(runtime: ModuleRuntime, findings: Finding[], at: number): Promise<void> {
    const definition = runtime.definition;
    if (inMaintenance(definition.maintenance, new Date(at))) return this.setState(runtime, 'maintenance', 'in a maintenance window', at);
    const down = this.dependenciesDown(runtime);
    if (down.length > 0 && !runtime.incidentId) {
      const parent = this.runtimes.get(down[0])?.incidentId;
      const incident = parent ? this.incidents.get(parent) : undefined;
      if (incident) {
        runtime.foldedInto = incident.id;
        return this.incidents.foldDependent(incident, runtime.name);
      }
    }
    // CrashLoop back-off is forgotten after resetAfterSeconds of health since the last recovery. (Measuring
    // from the last healthy probe instead never reset it: a module probed often always has a fresh one.)
    if (!runtime.incidentId && at - runtime.healthySince > definition.restartPolicy.resetAfterSeconds * 1000) {
      runtime.restartAttempts = 0;
      runtime.nextRestartAt = 0;
    }
    if (runtime.opening) runtime.incidentId = await runtime.opening;
    let incident = runtime.incidentId ? this.incidents.get(runtime.incidentId) : undefined;
    if (!incident && this.massFailure.has(runtime.name)) return;
    if (!incident && !this.massFailure.admit(at)) {
      runtime.foldedInto = (await this.massFailure.join(runtime.name, findings[0], at)).id;
      return;
    }
    if (!incident) {
      const diagnosis = diagnose({
        findings,
        critical: definition.critical,
        consecutiveFailures: runtime.consecutiveFailures,
        failureThreshold: definition.failureThreshold,
        recentRestarts: runtime.restartsWithin(600_000, at),
        host: this.options.host(),
        dependenciesDown: down,
        dependents: [...this.runtimes.values()].filter((r) => r.definition.dependsOn.includes(runtime.name)).length,
      });
      const opening = this.incidents.openIncident({ module: runtime.name, critical: definition.critical, diagnosis, findings, firstFailureAt: runtime.firstFailureAt ?? at, detectedAt: at });
      runtime.opening = opening.then((opened) => opened.id);
      try {
        incident = await opening;
      } finally {
        runtime.opening = null;
      }
      runtime.incidentId = incident.id;
    }
    await this.act(runtime, incident, down);
  }

  private async act(runtime: ModuleRuntime, incident: IncidentSummary, dependenciesDown: string[]): Promise<void> {
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
      // A restart command that failed or hung once is not run again by itself: people decide.
      canRestart: canRestart(definition) && !runtime.restartBroken && this.autoRestartAllowed(runtime),
      canRepair: definition.repair !== undefined,
      canConfigSync: definition.configSync !== undefined,
    });
    if (decision.action === 'none' || decision.action === 'retry' || decision.action === 'shed' || decision.action === 'wait_dependency') return;
    if (decision.action === 'escalate') return this.incidents.escalate(incident, Math.max(3, incident.escalationLevel) as 3, decision.why);
    if (decision.needsApproval) return this.requestApproval(runtime, incident, decision.action, decision.why);
    await this.execute(runtime, incident, decision.action, decision.why, decision.flagged ? 'healing (flagged for review)' : 'healing');
  }

  private async requestApproval(runtime: ModuleRuntime, incident: IncidentSummary, action: RecoveryAction, why: string): Promise<void> {
    runtime.pendingApproval = action;
    runtime.approvalExpiresAt = Date.now() + this.options.approvalTimeoutMs;
    await this.incidents.step(incident, 'approval', `${action.replace('_', ' ')} waits for an operator's approval: ${why}`, { action, why, expiresAt: new Date(runtime.approvalExpiresAt).toISOString() });
    this.emitModules();
  }

  /** An operator's answer to a pending action: approved runs it now, rejected hands it to people. */
  async decideApproval(name: string, approve: boolean, actor: string): Promise<ModuleView> {
    const runtime = this.require(name);
    const action = runtime.pendingApproval;
    if (!action) throw new HealingError('conflict', `${name} has no action waiting for approval`);
    runtime.pendingApproval = null;
    const incident = runtime.incidentId ? this.incidents.get(runtime.incidentId) : undefined;
    if (incident) await this.incidents.step(incident, 'approval', `${action.replace('_', ' ')} ${approve ? 'approved' : 'rejected'} by ${actor}`, { action, approved: approve, actor });
    if (approve) await this.execute(runtime, incident, action, `approved by ${actor}`, actor);
    else if (incident) await this.incidents.escalate(incident, 3, `${actor} rejected the ${action.replace('_', ' ')}`);
    return moduleView(runtime, Date.now());
  }

  async pause(name: string, actor: string, reason: string): Promise<ModuleView> {
    const runtime = this.require(name);
    runtime.paused = true;
    await this.setState(runtime, 'paused', `paused by ${actor}: ${reason}`, Date.now(), actor);
    return moduleView(runtime, Date.now());
  }

  async resume(name: string, actor: string, reason: string): Promise<ModuleView> {
    const runtime = this.require(name);
    runtime.paused = false;
    await this.setState(runtime, 'pending', `resumed by ${actor}: ${reason}`, Date.now(), actor);
    this.schedule(runtime, 0);
    return moduleView(runtime, Date.now());
  }

  /** A restart asked for by an operator: outside the automatic budget and tiers, but audited. */
  async restartNow(name: string, actor: string, reason: string): Promise<ModuleView> {
    const runtime = this.require(name);
    if (!canRestart(runtime.definition)) throw new HealingError('conflict', `${name} has no way to restart: configure restart.command or restart.http`);
    const incident = runtime.incidentId ? this.incidents.get(runtime.incidentId) : undefined;
    // The incident's own step records the restart when there is one; the audit trail must count it once.
    await this.options.audit.append({ type: 'module.restart_requested', severity: 'notice', actor, action: `restart ${name}`, module: name, reason, method: 'operator action', details: { incidentId: incident?.id ?? null } });
    runtime.nextRestartAt = 0;
    await this.execute(runtime, incident, 'restart', reason, actor);
    return moduleView(runtime, Date.now());
  }

  /** A heartbeat for the push module with this token; null when no module has it. */
  heartbeat(token: string, at = Date.now()): ModuleView | null {
    const runtime = [...this.runtimes.values()].find((r) => r.definition.kind === 'push' && r.definition.token === token);
    if (!runtime) return null;
    runtime.lastHeartbeatAt = at;
    if (runtime.state !== 'up') this.schedule(runtime, 0);
    return moduleView(runtime, at);
  }

  private require(name: string): ModuleRuntime {
    const runtime = this.runtimes.get(name);
    if (!runtime) throw new HealingError('not-found', `no module named ${JSON.stringify(name)}`);
    return runtime;
  }

  /** Runs a recovery action, then verifies it by probing again right away. */
  async execute(runtime: ModuleRuntime, incident: IncidentSummary | undefined, action: RecoveryAction, why: string, actor: string): Promise<void> {
    const definition = runtime.definition;
    if (action === 'restart') {
      const wait = runtime.nextRestartAt - Date.now();
      if (wait > 0) {
        runtime.restarting = true;
        await new Promise((resolve) => setTimeout(resolve, wait));
        runtime.restarting = false;
        if (this.closed || this.runtimes.get(runtime.name) !== runtime || (runtime.state === 'up' && !runtime.supervisor)) return;
      }
      runtime.restarting = true;
      runtime.restartAttempts += 1;
      runtime.restartTimes.push(Date.now());
      runtime.nextRestartAt = Date.now() + backoffMs({ attempt: runtime.restartsInWindow(), initialMs: definition.restartPolicy.initialBackoffSeconds * 1000, maxMs: definition.restartPolicy.maxBackoffSeconds * 1000 });
      this.stats.restarted(runtime.name, Date.now());
    }
    const outcome = action === 'restart' ? await restartModule(runtime, this.options.searchPath) : await runModuleHook(action === 'repair' ? 'repair' : 'configSync', definition, this.options.searchPath);
    runtime.restarting = false;
    if (incident) {
      await this.incidents.step(incident, 'action', `${action.replace('_', ' ')}: ${outcome.message}`, { action, ok: outcome.ok, durationMs: outcome.durationMs, attempt: runtime.restartAttempts, why, actor });
      if (!outcome.ok) {
        if (action === 'restart') runtime.restartBroken = true;
        await this.incidents.escalate(incident, 3, `${action.replace('_', ' ')} failed: ${outcome.message}`);
      }
      else if (incident.escalationLevel < 2) await this.incidents.escalate(incident, 2, `${action.replace('_', ' ')} attempted`);
    }
    this.schedule(runtime, runtime.definition.kind === 'process' ? 250 : 500);
  }

  private async onHealthy(runtime: ModuleRuntime, at: number): Promise<void> {
    runtime.lastHealthyAt = at;
    runtime.healthySince = at;
    runtime.restartBroken = false;
    runtime.foldedInto = null;
    await this.massFailure.leave(runtime.name, at);
    if (!runtime.incidentId) return;
    const incident = this.incidents.get(runtime.incidentId);
    runtime.incidentId = null;
    runtime.pendingApproval = null;
    if (!incident) return;
    await this.incidents.step(incident, 'verified', `${runtime.definition.successThreshold} probe(s) passed: ${runtime.last?.message ?? 'up'}`, {}, at);
    await this.incidents.resolve(incident, `${runtime.name} is up again`, at);
  }

  private async setState(runtime: ModuleRuntime, state: ModuleState, reason: string, at: number, actor = 'healing'): Promise<void> {
    if (runtime.state === state) return;
    const from = runtime.state;
    runtime.state = state;
    runtime.stateSince = at;
    this.stats.stateChanged(runtime.name, from, state, at, reason);
    if (from !== 'pending' || state !== 'up') {
      await this.options.audit
        .append({ type: 'module.state_changed', severity: state === 'down' ? (runtime.definition.critical ? 'critical' : 'high') : state === 'degraded' ? 'warning' : 'info', actor, action: `${runtime.name}: ${from} → ${state}`, module: runtime.name, reason: reason.slice(0, 500), method: runtime.definition.kind, details: { from, to: state } })
        .catch(() => undefined);
    }
    this.emitModules();
  }

  private async escalationTick(now = Date.now()): Promise<void> {
    await this.incidents.remind(now);
    for (const incident of this.incidents.openIncidents()) {
      const runtime = this.runtimes.get(incident.module);
      if (!runtime) continue;
      if (runtime.pendingApproval && now > runtime.approvalExpiresAt) {
        const action = runtime.pendingApproval;
        runtime.pendingApproval = null;
        await this.incidents.escalate(incident, 3, `nobody approved the ${action.replace('_', ' ')} in time; it was not run`);
      }
      const exhausted = !canRestart(runtime.definition) || runtime.restartBroken || runtime.restartsInWindow(now) >= runtime.definition.restartPolicy.maxAttempts;
      const { level, why } = escalationLevelAt({ openedAt: incident.openedAt, now: new Date(now), attempts: runtime.consecutiveFailures, restartsExhausted: exhausted, policy: this.options.escalation(), atLeast: incident.failureClass === 'critical' ? 5 : undefined });
      const before = incident.escalationLevel;
      await this.incidents.escalate(incident, level, why);
      if (incident.escalationLevel > before && (runtime.state === 'down' || runtime.state === 'degraded')) await this.act(runtime, incident, this.dependenciesDown(runtime));
    }
  }

  /** At once when the last emit is old, else once at the end of the window with the state then. */
  private emitModules(): void {
    if (!this.options.onModules || this.emitTimer) return;
    const wait = this.lastEmitAt + MODULES_EMIT_MS - Date.now();
    if (wait <= 0) return this.emitNow();
    this.emitTimer = setTimeout(() => this.emitNow(), wait);
  }

  private emitNow(): void {
    this.emitTimer = null;
    if (this.closed) return;
    this.lastEmitAt = Date.now();
    this.options.onModules?.(this.list());
  }

  list(now = Date.now()): ModuleView[] {
    return [...this.runtimes.values()].map((runtime) => moduleView(runtime, now)).sort((a, b) => a.name.localeCompare(b.name));
  }

  runtime(name: string): ModuleRuntime | undefined {
    return this.runtimes.get(name);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.escalationTimer) clearInterval(this.escalationTimer);
    if (this.emitTimer) clearTimeout(this.emitTimer);
    this.pacer.stop();
    for (const runtime of this.runtimes.values()) {
      if (runtime.timer) clearTimeout(runtime.timer);
      await runtime.supervisor?.close();
    }
    await this.stats.stop();
  }
}
