import { AppError } from '@/lib/errors';
import type { AuditEventInput } from '@/lib/audit/types';
import { SCENARIO_NAMES, type DrillOverview, type DrillRun, type DrillScenarioProgress, type DrillsConfig, type ScenarioName } from '@/lib/drills/drill-schema';
import type { Logger } from '../log';
import { passingStreaks, readDrillHistory, recordDrillRun } from './drill-history';

export interface DrillServiceOptions {
  dataDir: string;
  searchPath: string;
  audit: { append(input: AuditEventInput): Promise<unknown> };
  log: Logger;
  config: () => DrillsConfig;
  onRun?: (run: DrillRun) => void;
}

export class DrillBusyError extends AppError {
  constructor() {
    super('conflict', 409, 'a drill is already running');
    this.name = 'DrillBusyError';
  }
}

/** Checked this often; a drill is due when the last one is older than `everyHours`. */
const SCHEDULE_CHECK_MS = 60_000;

/** Drills started from the dashboard or by the schedule, one at a time, kept and audited. */
export class DrillService {
  private running: Promise<void> | null = null;
  private progress: DrillScenarioProgress[] = [];
  private readonly stop = new AbortController();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: DrillServiceOptions) {}

  overview(limit = 50): DrillOverview {
    const running = this.running !== null;
    return { running, progress: running ? this.progress.map((p) => ({ ...p })) : [], runs: readDrillHistory(this.options.dataDir).slice(0, limit) };
  }

  /** Starts a drill in the background; its result lands in the history (and the audit trail). */
  start(input: { actor: string; scenarios?: ScenarioName[]; harder?: boolean }): { started: true } {
    if (this.running) throw new DrillBusyError();
    const scenarios = input.scenarios ?? [...SCENARIO_NAMES];
    const together = input.harder ? passingStreaks(readDrillHistory(this.options.dataDir), scenarios) : [];
    this.progress = scenarios.map((scenario) => ({ scenario, state: 'waiting', note: null }));
    const onScenario = (update: DrillScenarioProgress) => {
      this.progress = this.progress.map((p) => (p.scenario === update.scenario ? update : p));
    };
    // The runner and its scenarios (demo services, scratch disks, fault injection) load with the
    // first drill: an idle worker does not carry them.
    this.running = import('./drill-runner')
      .then(({ runDrill }) =>
        runDrill({ scenarios, together, actor: input.actor, searchPath: this.options.searchPath, log: this.options.log, signal: this.stop.signal, onScenario }),
      )
      .then(async (run) => {
        await recordDrillRun({ dataDir: this.options.dataDir, run, audit: this.options.audit });
        this.options.onRun?.(run);
      })
      .catch((error: unknown) => this.options.log.error({ err: (error as Error).message }, 'chaos drill failed to run'))
      .finally(() => {
        this.running = null;
      });
    return { started: true };
  }

  startSchedule(): void {
    this.timer = setInterval(() => {
      const { everyHours, scenarios, harder } = this.options.config();
      if (everyHours <= 0 || this.running) return;
      const last = readDrillHistory(this.options.dataDir)[0];
      if (last && Date.now() - Date.parse(last.startedAt) < everyHours * 3_600_000) return;
      this.start({ actor: 'schedule', scenarios, harder });
    }, SCHEDULE_CHECK_MS);
    this.timer.unref();
  }

  /** Stops the schedule and a running drill, which undoes what it started before this resolves. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.stop.abort();
    await this.running;
  }
}
