import type { IncidentNotification, IncidentSummary } from '@/lib/healing/incident';
import type { ModuleDefinition, ModuleState } from '@/lib/healing/module-schema';
import { backoffMs } from '@/lib/healing/recovery-plan';
import type { EscalationPolicy } from '@/lib/healing/escalation';
import { inMaintenance } from '@/lib/healing/maintenance';
import type { AuditEventInput } from '@/lib/audit/types';
import type { Database } from '../db/client';
import type { Logger } from '../log';
import { readRecentRestarts } from '../queries/module-restarts';
import { escalateOpenIncidents } from './escalation-tick';
import { HealingError } from './healing-error';
import { IncidentManager } from './incident-manager';
import { ModuleRuntime } from './module-runtime';
import { moduleView, type ModuleView } from './module-view';
import { ModuleStats } from './module-stats';
import { IncidentIntake } from './incident-intake';
import { probeModule } from './probe-module';
import type { ProbeResult } from './probes/probe-result';
import { ProbePacer } from './probe-pacer';
import { ProbeOutcomes } from './probe-outcomes';
import { stateChangedEvent } from './module-state-event';
import { RecoveryRunner } from './recovery-runner';
import { LONGEST_RESET_MS } from './restart-budget';
import { SupervisedProcess, STOP_GRACE_MS } from './supervisor';
import { orphanFinding, stopOrphans, type StoppedOrphan } from './orphans';
import type { ProcessRecords } from './process-records';
import { ThrottledEmit } from './throttled-emit';

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

/** Decides a module probed from several hosts: its own probe (`probeHere`) is one vote at most. */
export interface VantageDecider {
  decide(definition: ModuleDefinition, probeHere: () => Promise<ProbeResult>, at: number): Promise<ProbeResult>;
}

const ESCALATION_TICK_MS = 5000;
/** The module list goes out at most this often: 2,000 modules turning up at start must not send it 2,000 times. */
const MODULES_EMIT_MS = 250;
/** One collator for every sort: String#localeCompare builds its comparison state on each call. */
const BY_NAME = new Intl.Collator().compare;

/** Probe → detect → classify → recover → verify → escalate, for every module. */
export class HealingEngine {
  private readonly runtimes = new Map<string, ModuleRuntime>();
  readonly incidents: IncidentManager;
  private readonly stats: ModuleStats;
  private escalationTimer: NodeJS.Timeout | null = null;
  private readonly modulesEmit: ThrottledEmit | null;
  private readonly recovery: RecoveryRunner;
  readonly pacer: ProbePacer;
  private readonly intake: IncidentIntake;
  private readonly outcomes: ProbeOutcomes;
  private closed = false;
  private started = false;
  /** Restarts before this worker started, per module, from the audit trail; read once by the first reconcile. */
  private pastRestarts = new Map<string, number[]>();
  /** Processes a crashed predecessor left running, stopped at start: each module's incident says so. */
  private readonly stoppedOrphans = new Map<string, StoppedOrphan>();
  /** Scheduling drift of each probe start (ms late), for the benchmark and /metrics. */
  readonly drift: number[] = [];
  /** Set by the fleet's console side: modules with a `vantage` are decided by their vantage points. */
  vantage: VantageDecider | null = null;

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
    this.intake = new IncidentIntake({
      incidents: this.incidents,
      runtime: (name) => this.runtimes.get(name),
      runtimes: () => this.runtimes.values(),
      host: options.host,
    });
    this.recovery = new RecoveryRunner({
      ...options,
      incidents: this.incidents,
      stats: this.stats,
      isCurrent: (runtime) => !this.closed && this.runtimes.get(runtime.name) === runtime,
      reprobe: (runtime, delayMs) => this.schedule(runtime, delayMs),
      changed: () => this.modulesEmit?.request(),
    });
    this.outcomes = new ProbeOutcomes({
      stats: this.stats,
      intake: this.intake,
      recovery: this.recovery,
      runtime: (name) => this.runtimes.get(name),
      setState: (runtime, state, reason, at) => this.setState(runtime, state, reason, at),
      onProbe: (module, latencyMs) => options.onProbe?.(module, latencyMs),
      closed: () => this.closed,
    });
    // The table is rebuilt for each emit: with 10,000 modules that is milliseconds of work, so the
    // window grows with the count (2 s at 10,000) to keep it a small share of a core.
    const emitWindowMs = () => Math.max(MODULES_EMIT_MS, this.runtimes.size / 5);
    this.modulesEmit = options.onModules ? new ThrottledEmit(emitWindowMs, () => options.onModules?.(this.list())) : null;
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
    const escalation = {
      incidents: this.incidents,
      runtime: (name: string) => this.runtimes.get(name),
      policy: this.options.escalation,
      act: (runtime: ModuleRuntime, incident: IncidentSummary) => this.recovery.act(runtime, incident, this.outcomes.dependenciesDown(runtime)),
    };
    this.escalationTimer = setInterval(() => void escalateOpenIncidents(escalation), ESCALATION_TICK_MS);
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
        runtime.supervisor = new SupervisedProcess(definition, {
          searchPath: this.options.searchPath,
          onExit: (exit) => void this.outcomes.processExited(runtime, exit),
          records: this.options.processRecords,
        });
        await runtime.supervisor.start().catch((error: unknown) => runtime.supervisor?.logs.note(`could not start: ${(error as Error).message}`));
        const orphan = this.stoppedOrphans.get(name);
        this.stoppedOrphans.delete(name);
        if (orphan) await this.outcomes.failed(runtime, [orphanFinding(orphan)], orphan.at);
      }
      this.schedule(runtime, this.pacer.firstDelayMs(definition, wanted.size));
    }
    this.modulesEmit?.request();
  }

  private async removeRuntime(runtime: ModuleRuntime): Promise<void> {
    if (runtime.timer) clearTimeout(runtime.timer);
    this.runtimes.delete(runtime.name);
    await runtime.supervisor?.close();
    await this.intake.removed(runtime);
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
    const { result, starvation, startedAt } = await this.pacer.run({
      module: runtime.name,
      plannedAt,
      probe: (at) => {
        const here = () => probeModule(runtime, this.options.searchPath, at);
        return this.vantage && 'vantage' in definition && definition.vantage ? this.vantage.decide(definition, here, at) : here();
      },
    });
    this.drift.push(startedAt - plannedAt);
    if (this.drift.length > 10_000) this.drift.splice(0, 5000);
    if (this.runtimes.get(runtime.name) !== runtime) return;
    // Vigil could not run while this probe waited: not a failure of the target, ask again soon.
    if (starvation) return this.schedule(runtime, this.pacer.inconclusiveRetryMs());
    // Each module keeps its own slot in the interval, so slow probes neither drift the cadence nor bunch up.
    const next = this.pacer.nextDelayMs(definition, plannedAt);
    const retry = !result.ok && runtime.consecutiveFailures + 1 < definition.failureThreshold;
    // A failure below the threshold is re-probed sooner: retry with back-off and jitter.
    this.schedule(
      runtime,
      retry ? Math.min(next, backoffMs({ attempt: runtime.consecutiveFailures, initialMs: 500, maxMs: definition.intervalSeconds * 1000 })) : next,
    );
    await this.outcomes.probed(runtime, result, Date.now());
  }

  /** An operator's answer to a pending action: approved runs it now, rejected hands it to people. */
  async decideApproval(name: string, approve: boolean, actor: string): Promise<ModuleView> {
    const runtime = this.require(name);
    const action = runtime.pendingApproval;
    if (!action) throw new HealingError('conflict', `${name} has no action waiting for approval`);
    await this.recovery.decideApproval(runtime, action, approve, actor);
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
    await this.recovery.restartByOperator(runtime, actor, reason);
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
    if (!runtime) throw new HealingError('not_found', `no module named ${JSON.stringify(name)}`);
    return runtime;
  }

  private async setState(runtime: ModuleRuntime, state: ModuleState, reason: string, at: number, actor = 'healing'): Promise<void> {
    if (runtime.state === state) return;
    const from = runtime.state;
    runtime.state = state;
    runtime.stateSince = at;
    this.stats.stateChanged(runtime.name, from, state, at, reason);
    // A module's first answer is not news.
    if (from !== 'pending' || state !== 'up')
      await this.options.audit.append(stateChangedEvent(runtime, { from, to: state, reason, actor })).catch(() => undefined);
    this.modulesEmit?.request();
  }

  list(now = Date.now()): ModuleView[] {
    return [...this.runtimes.values()].map((runtime) => moduleView(runtime, now)).sort((a, b) => BY_NAME(a.name, b.name));
  }

  definitions(): ModuleDefinition[] {
    return [...this.runtimes.values()].map((runtime) => runtime.definition);
  }

  runtime(name: string): ModuleRuntime | undefined {
    return this.runtimes.get(name);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.escalationTimer) clearInterval(this.escalationTimer);
    this.modulesEmit?.stop();
    this.pacer.stop();
    for (const runtime of this.runtimes.values()) {
      if (runtime.timer) clearTimeout(runtime.timer);
      await runtime.supervisor?.close();
    }
    await this.stats.stop();
  }
}
