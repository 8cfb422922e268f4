import type { Logger } from '../log';
import { MigrationError, type MigrationResult } from './migrate';
import { dbErrorMessage } from './db-error';

/**
 * Applies migrations at start; when the database cannot be reached, the worker starts
 * anyway (sampling, spooling events, answering /healthz as degraded) and this keeps
 * retrying with back-off until the schema is in place. A migration that is wrong
 * (MigrationError) is not a reachability problem and still stops the start.
 */
export class SchemaKeeper {
  private ready = false;
  private pending: Array<() => Promise<unknown>> = [];
  private timer: NodeJS.Timeout | null = null;
  private delay = 1000;
  private warned = false;

  constructor(
    private readonly migrate: () => Promise<MigrationResult>,
    private readonly log: Logger,
    private readonly maxDelayMs = 30_000,
  ) {}

  get isReady(): boolean {
    return this.ready;
  }

  async ensure(): Promise<void> {
    try {
      const result = await this.migrate();
      if (result.applied.length > 0) this.log.info({ applied: result.applied }, 'database migrations applied');
      this.ready = true;
      if (this.warned) this.log.info('database reachable: schema in place');
      await this.runPending();
    } catch (error) {
      if (error instanceof MigrationError) throw error;
      if (!this.warned) this.log.error({ err: dbErrorMessage(error) }, 'database unreachable at start; running degraded and retrying with back-off');
      this.warned = true;
      this.timer = setTimeout(() => void this.ensure(), this.delay);
      this.timer.unref();
      this.delay = Math.min(this.delay * 2, this.maxDelayMs);
    }
  }

  /** Runs `task` once the schema is in place (now, if it already is). */
  whenReady(task: () => Promise<unknown>): void {
    this.pending.push(task);
    if (this.ready) void this.runPending();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async runPending(): Promise<void> {
    const tasks = this.pending.splice(0);
    for (const task of tasks) {
      await task().catch((error: unknown) => this.log.error({ err: dbErrorMessage(error) }, 'start-up task failed after the database returned'));
    }
  }
}
