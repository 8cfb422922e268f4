import type { DailyStatDelta } from '../queries/incidents';
import { addDailyStats, insertStateChange } from '../queries/incidents';
import type { Database } from '../db/client';
import { dbErrorMessage } from '../db/db-error';
import type { Logger } from '../log';
import type { ProbeResult } from './probes/probe-result';

const FLUSH_MS = 60_000;
const dayOf = (at: number) => new Date(at).toISOString().slice(0, 10);

/**
 * Keeps storage bounded: probes are summed into one row per module per day and only state
 * changes are stored one by one, so a module probed every 20 s costs a few hundred bytes a
 * day, not 4,320 rows.
 */
export class ModuleStats {
  private pending = new Map<string, DailyStatDelta>();
  private lastState = new Map<string, { up: boolean; at: number }>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly database: Database,
    private readonly log: Logger,
  ) {}

  private delta(module: string, at: number): DailyStatDelta {
    const day = dayOf(at);
    const key = `${module}\u0000${day}`;
    let delta = this.pending.get(key);
    if (!delta) {
      delta = { module, day, probes: 0, failures: 0, upMs: 0, downMs: 0, latencySumMs: 0, restarts: 0 };
      this.pending.set(key, delta);
    }
    return delta;
  }

  record(module: string, result: ProbeResult, at: number): void {
    const delta = this.delta(module, at);
    delta.probes += 1;
    if (!result.ok) delta.failures += 1;
    if (result.latencyMs !== null) delta.latencySumMs += result.latencyMs;
    const previous = this.lastState.get(module);
    if (previous) {
      const elapsed = Math.max(0, at - previous.at);
      if (previous.up) delta.upMs += elapsed;
      else delta.downMs += elapsed;
    }
    this.lastState.set(module, { up: result.ok, at });
  }

  restarted(module: string, at: number): void {
    this.delta(module, at).restarts += 1;
  }

  stateChanged(module: string, from: string, to: string, at: number, reason: string): void {
    void insertStateChange(this.database.prisma, { module, at: new Date(at), from, to, reason: reason.slice(0, 500) }).catch((error: unknown) =>
      this.log.warn({ err: dbErrorMessage(error) }, 'could not store a module state change'),
    );
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  async flush(): Promise<void> {
    const deltas = [...this.pending.values()];
    // No module probed since the last flush: nothing to add, and no database client to load for it.
    if (deltas.length === 0) return;
    this.pending = new Map();
    try {
      await addDailyStats(this.database.prisma, this.database.provider, deltas);
    } catch (error) {
      this.log.warn({ err: dbErrorMessage(error) }, 'could not store module statistics');
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }
}
