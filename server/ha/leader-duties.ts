/** What only the leader runs: probes, detectors, healing and every schedule. */
export interface LeaderDuty {
  start(): Promise<unknown> | unknown;
  /** Stops it at once; also called for a duty that never started. */
  stop?(): Promise<unknown> | unknown;
}

/**
 * The leader's duties, registered by each capability as it starts and run in that order on
 * the one replica that leads: the only one on SQLite, the elected one on PostgreSQL.
 */
export class LeaderDuties {
  private readonly duties: LeaderDuty[] = [];
  private running: Promise<void> | null = null;
  private lost = false;

  add(duty: LeaderDuty): void {
    this.duties.push(duty);
  }

  /** Runs the duties once; each step first checks the lock is still held, so a leader that lost it mid-start starts nothing more. */
  run(): Promise<void> {
    this.running ??= (async () => {
      for (const duty of this.duties) {
        this.ensureLeading();
        await duty.start();
      }
    })();
    return this.running;
  }

  ensureLeading(): void {
    if (this.lost) throw new Error('leadership was lost while the duties started');
  }

  get started(): boolean {
    return this.running !== null;
  }

  /** Duties half way through starting would start timers after a stop: a close waits for them first. */
  async settled(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  /** Leadership lost: nothing more starts, and everything that acts stops now. */
  async abandon(): Promise<void> {
    this.lost = true;
    await Promise.allSettled(this.duties.map(async (duty) => duty.stop?.()));
  }
}
