import type { OffsiteRepositoryConfig } from '@/lib/config/offsite-config';
import type { Logger } from '../../log';
import { RecoveryError } from '../recovery-error';
import { SCHEDULER_ACTOR } from './offsite-frame';
import type { OffsiteService } from './offsite-service';

const TICK_MS = 60_000;
const HOUR = 3_600_000;

export interface OffsiteDue {
  repo: string;
  copy: boolean;
  check: boolean;
}

/** What each repository is due at `now`, going by the times recorded in the state file (so a restart does not reset them). */
export function offsiteDue(
  repos: readonly OffsiteRepositoryConfig[],
  timings: readonly { repo: string; lastCopyAt: string | null; lastCheckAt: string | null }[],
  now: number,
): OffsiteDue[] {
  const olderThan = (at: string | null | undefined, hours: number) => !at || now - Date.parse(at) >= hours * HOUR;
  return repos.map((repo) => {
    const timing = timings.find((t) => t.repo === repo.name);
    const copyEvery = repo.schedule.copyEveryHours;
    return {
      repo: repo.name,
      copy: copyEvery !== undefined && olderThan(timing?.lastCopyAt, copyEvery),
      check: olderThan(timing?.lastCheckAt, repo.schedule.checkEveryHours),
    };
  });
}

/**
 * Scheduled copies of every snapshot not yet off-site, then `restic check` with a restore test;
 * after a passing check, the retention policy (planned with --dry-run and audited when applied).
 */
export class OffsiteScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly service: OffsiteService,
    private readonly repos: () => OffsiteRepositoryConfig[],
    private readonly log: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), TICK_MS);
    this.timer.unref();
  }

  tick(now = Date.now()): Promise<void> {
    this.running ??= this.runDue(now).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async runDue(now: number): Promise<void> {
    const repos = this.repos();
    if (repos.length === 0) return;
    for (const due of offsiteDue(repos, await this.service.timings(), now)) {
      // Each step is audited (and recorded on the repository) by the service when it fails.
      try {
        if (due.copy) await this.service.copyMissing({ actor: SCHEDULER_ACTOR, repos: [due.repo] });
        if (!due.check) continue;
        const checked = await this.service.check({ repo: due.repo, actor: SCHEDULER_ACTOR });
        if (checked.ok && repos.find((r) => r.name === due.repo)?.keep) await this.service.forget({ repo: due.repo, dryRun: false, actor: SCHEDULER_ACTOR });
      } catch (error) {
        // A busy store (an operator's operation, or one this gave way to) only postpones the work.
        if (error instanceof RecoveryError && error.code === 'busy')
          this.log.info({ reason: error.message, repository: due.repo }, 'scheduled off-site work postponed');
        else this.log.warn({ err: (error as Error).message, repository: due.repo }, 'scheduled off-site work failed');
      }
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
