import path from 'node:path';
import type { AuditEventInput } from '@/lib/audit/types';
import { assessSubsystem } from '@/lib/forecast/assess';
import type { ForecastConfig } from '@/lib/forecast/forecast-config';
import type { ForecastOverview, RiskResponse } from '@/lib/forecast/forecast-views';
import type { IncidentEvidence, ModuleSettings, ThreatEvidence } from '@/lib/forecast/governor-rules';
import { mitigationPlan } from '@/lib/forecast/mitigations';
import type { MitigationActionId, Prediction, SubsystemDetail } from '@/lib/forecast/risk';
import { TUNED } from '@/lib/forecast/tuning';
import type { ModuleView } from '@/lib/healing/module-view';
import type { HealthSnapshot } from '@/lib/health/types';
import type { Logger } from '../log';
import { collectSignals, type ForecastInputs } from './collect';
import { Governor, GovernorError } from './governor';
import { RiskHistory } from './risk-history';
import { SeriesStore } from './series-store';

export interface ForecastSources {
  health: () => HealthSnapshot | null;
  modules: () => ModuleView[];
  moduleSettings: (module: string) => ModuleSettings;
  incidents: () => Promise<IncidentEvidence[]>;
  threats: () => ThreatEvidence[];
  database: () => Promise<ForecastInputs['database']>;
  golden: () => Promise<ForecastInputs['golden']>;
}

export interface MitigationActions {
  pruneSnapshots(actor: string): Promise<unknown>;
  restartModule(input: { name: string; actor: string; reason: string }): Promise<unknown>;
  createGoldenSnapshot(actor: string): Promise<unknown>;
}

export interface ForecasterOptions {
  dataDir: string;
  log: Logger;
  audit: { append(input: AuditEventInput): Promise<unknown> };
  config: () => ForecastConfig;
  sources: ForecastSources;
  actions: MitigationActions;
  onUpdate?: (update: { at: string; highest: number }) => void;
}

const EMPTY_DATABASE = { latencyMs: null, sizeBytes: null, freeBytes: null };

/** Every cycle: gather the series, score each subsystem, keep the heatmap's history, let the governor learn. */
export class Forecaster {
  readonly governor: Governor;
  private store = new SeriesStore(TUNED.windowMinutes);
  private restartLog = new Map<string, { count: number; times: number[] }>();
  private history: RiskHistory;
  private armedMs = 0;
  private latest: { at: string; subsystems: SubsystemDetail[]; predictions: Prediction[] } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly options: ForecasterOptions) {
    this.history = new RiskHistory(options.config().historyHours);
    this.governor = new Governor({
      file: path.join(options.dataDir, 'forecast', 'governor.json'),
      log: options.log,
      audit: options.audit,
      policy: () => options.config().autoApply,
    });
  }

  async start(): Promise<void> {
    await this.governor.load();
    await this.cycle();
    this.arm();
  }

  /** A changed interval applies at once, not after one more cycle at the old one; the rest is read each cycle. */
  reconfigure(): void {
    if (this.timer && this.options.config().cycleSeconds * 1000 !== this.armedMs) this.arm();
  }

  /** (Re)starts the cycle timer at the configured interval. */
  private arm(): void {
    if (this.timer) clearInterval(this.timer);
    this.armedMs = this.options.config().cycleSeconds * 1000;
    this.timer = setInterval(() => void this.cycle(), this.armedMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One cycle; overlapping calls share the one in flight. A failing source never stops the others. */
  cycle(now = Date.now()): Promise<void> {
    this.running ??= this.runCycle(now)
      .catch((error: unknown) => this.options.log.error({ err: (error as Error).message }, 'forecast cycle failed'))
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private async settle<T>(label: string, work: () => Promise<T> | T, fallback: T): Promise<T> {
    try {
      return await work();
    } catch (error) {
      this.options.log.warn({ err: (error as Error).message, source: label }, 'forecast input unavailable this cycle');
      return fallback;
    }
  }

  private async gather(): Promise<ForecastInputs> {
    const { sources } = this.options;
    const [incidents, database, golden] = await Promise.all([
      this.settle('incidents', sources.incidents, []),
      this.settle('database', sources.database, EMPTY_DATABASE),
      this.settle('golden', sources.golden, null),
    ]);
    return {
      health: sources.health(),
      modules: sources.modules(),
      moduleSettings: sources.moduleSettings,
      threats: await this.settle('threats', sources.threats, []),
      incidents,
      database,
      golden,
    };
  }

  private async runCycle(now: number): Promise<void> {
    const inputs = await this.gather();
    const computed = this.compute(inputs, now);
    this.latest = computed;
    this.history.resize(this.options.config().historyHours);
    this.history.record(now, new Map(computed.subsystems.map((s) => [s.id, s.risk])));
    await this.governor.learn({
      now,
      incidents: inputs.incidents,
      threats: inputs.threats,
      modules: inputs.modules.map((m) => ({ name: m.name, ...inputs.moduleSettings(m.name) })),
    });
    this.options.onUpdate?.({ at: computed.at, highest: computed.subsystems[0]?.risk ?? 0 });
  }

  /** The pure part of a cycle, exposed for the benchmark. */
  compute(inputs: ForecastInputs, now: number): { at: string; subsystems: SubsystemDetail[]; predictions: Prediction[] } {
    const signals = collectSignals(inputs, this.store, this.restartLog, now);
    const subsystems: SubsystemDetail[] = [];
    const predictions: Prediction[] = [];
    for (const s of signals) {
      const assessment = assessSubsystem(s, { now, horizonMinutes: TUNED.horizonMinutes, method: TUNED.method });
      subsystems.push({ ...assessment.risk, predictions: assessment.predictions, mitigations: mitigationPlan(assessment.risk, assessment.predictions) });
      predictions.push(...assessment.predictions);
    }
    // Ids are ASCII slugs: a code-unit comparison orders them the same as localeCompare at a fraction of the cost.
    subsystems.sort((a, b) => b.risk - a.risk || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    predictions.sort((a, b) => b.probability - a.probability || a.etaMinutes - b.etaMinutes);
    return { at: new Date(now).toISOString(), subsystems, predictions };
  }

  risk(): RiskResponse {
    return { at: this.latest?.at ?? null, subsystems: (this.latest?.subsystems ?? []).map(({ predictions: _p, mitigations: _m, ...risk }) => risk) };
  }

  predictions(): { at: string | null; predictions: Prediction[] } {
    return { at: this.latest?.at ?? null, predictions: this.latest?.predictions ?? [] };
  }

  overview(): ForecastOverview {
    return {
      at: this.latest?.at ?? null,
      cycleSeconds: this.options.config().cycleSeconds,
      subsystems: this.latest?.subsystems ?? [],
      predictions: this.latest?.predictions ?? [],
      history: this.history.view(),
    };
  }

  policy(): string[] {
    return [...this.options.config().autoApply];
  }

  /** One click from the plan: only an action the current plan offers for that subsystem runs. */
  async applyMitigation(input: {
    subsystem: string;
    action: MitigationActionId;
    actor: string;
    reason: string;
  }): Promise<{ applied: MitigationActionId; subsystem: string }> {
    const subsystem = this.latest?.subsystems.find((s) => s.id === input.subsystem);
    if (!subsystem) throw new GovernorError('not_found', `no subsystem ${input.subsystem}`);
    const step = subsystem.mitigations.find((m) => m.action?.id === input.action);
    if (!step?.action) throw new GovernorError('conflict', `${input.action} is not in ${subsystem.name}'s current plan`);
    await this.options.audit.append({
      type: 'forecast.mitigation_applied',
      severity: 'notice',
      actor: input.actor,
      action: `mitigate ${subsystem.name}: ${step.text}`,
      module: 'forecast',
      reason: input.reason,
      method: 'console',
      details: { subsystem: subsystem.id, action: input.action, risk: subsystem.risk },
    });
    const { actions } = this.options;
    if (input.action === 'prune-snapshots') await actions.pruneSnapshots(input.actor);
    if (input.action === 'create-golden-snapshot') await actions.createGoldenSnapshot(input.actor);
    if (input.action === 'restart-module')
      await actions.restartModule({ name: step.action.target ?? subsystem.name, actor: input.actor, reason: input.reason });
    return { applied: input.action, subsystem: subsystem.id };
  }
}
