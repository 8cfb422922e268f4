import type { OffsiteCheckResultView, OffsiteCopyView, OffsiteForgetView, OffsiteOverviewView } from '@/lib/recovery/offsite-views';
import type { SnapshotHeader } from '@/lib/recovery/snapshot-schema';
import type { RestoreResult } from '../restore-snapshot';
import { copyMissing, copySnapshot } from './offsite-copy';
import { OffsiteFrame, type OffsiteDeps } from './offsite-frame';
import { emptyRepoState } from './offsite-state';
import { listRepository, restoreFromOffsite, type OffsiteRestoreInput } from './offsite-restore';
import { initRepository, type OffsiteInitView } from './offsite-init';
import { checkRepository, forgetInRepository } from './offsite-verify';
import { redactRepository } from './restic-failure';
import { locateRestic } from './restic-runner';

export type { OffsiteDeps } from './offsite-frame';

/** Encrypted copies of snapshots in restic repositories, and the way back from them. */
export class OffsiteService {
  private readonly frame: OffsiteFrame;

  constructor(deps: OffsiteDeps) {
    this.frame = new OffsiteFrame(deps);
  }

  get configured(): boolean {
    return this.frame.repositories().length > 0;
  }

  copy(input: { ref: string; to: string; actor: string }): Promise<OffsiteCopyView> {
    return copySnapshot(this.frame, input);
  }

  list(input: { from: string }): Promise<OffsiteCopyView[]> {
    return listRepository(this.frame, this.frame.repo(input.from));
  }

  restore(input: OffsiteRestoreInput): Promise<RestoreResult> {
    return restoreFromOffsite(this.frame, input);
  }

  /** `restic init` of a configured repository, once, before its first copy. */
  init(input: { repo: string; actor: string }): Promise<OffsiteInitView> {
    return initRepository(this.frame, input);
  }

  check(input: { repo: string; actor: string; readDataSubset?: string }): Promise<OffsiteCheckResultView> {
    return checkRepository(this.frame, input);
  }

  forget(input: { repo: string; dryRun: boolean; actor: string }): Promise<OffsiteForgetView> {
    return forgetInRepository(this.frame, input);
  }

  /** Copies to every repository what it does not hold yet (`only` narrows it); a failing repository does not stop the others. */
  async copyMissing(input: {
    actor: string;
    repos?: string[];
    only?: (header: SnapshotHeader) => boolean;
  }): Promise<{ repo: string; copied: number; error?: string }[]> {
    const outcomes = [];
    for (const repo of this.frame.repositories().filter((r) => !input.repos || input.repos.includes(r.name))) {
      try {
        outcomes.push({ repo: repo.name, copied: (await copyMissing(this.frame, { repo, actor: input.actor, only: input.only })).length });
      } catch (error) {
        // Already audited and recorded on the repository by the frame.
        outcomes.push({ repo: repo.name, copied: 0, error: (error as Error).message });
      }
    }
    return outcomes;
  }

  /** A new golden snapshot goes off-site at once; its failure is audited, never the create's. */
  async afterCreate(header: SnapshotHeader, actor: string): Promise<void> {
    if (!header.tags.includes('golden') || !this.configured) return;
    await this.copyMissing({ actor, only: (h) => h.id === header.id });
  }

  async overview(): Promise<OffsiteOverviewView> {
    const repositories = this.frame.repositories();
    const state = await this.frame.state.read();
    let reason: string | null = repositories.length === 0 ? 'no off-site repository is configured (snapshots.offsite)' : null;
    if (!reason)
      reason = await locateRestic(this.frame.setup).then(
        () => null,
        (error: Error) => error.message,
      );
    return {
      enabled: reason === null,
      reason,
      repositories: repositories.map((repo) => {
        const repoNow = state.repositories[repo.name] ?? emptyRepoState();
        return {
          name: repo.name,
          repository: redactRepository(repo.repository),
          keep: (repo.keep as Record<string, number> | undefined) ?? null,
          copyEveryHours: repo.schedule.copyEveryHours ?? null,
          checkEveryHours: repo.schedule.checkEveryHours,
          readDataSubset: repo.schedule.readDataSubset,
          lastCopyAt: repoNow.lastCopyAt,
          lastCheck: repoNow.lastCheck,
          lastError: repoNow.lastError,
        };
      }),
      copies: state.copies.filter((c) => repositories.some((r) => r.name === c.repo)).sort((a, b) => b.copiedAt.localeCompare(a.copiedAt)),
    };
  }

  /** When each repository last had its copies made, its check run and its retention applied: what the schedule goes by. */
  async timings(): Promise<{ repo: string; lastCopyAt: string | null; lastCheckAt: string | null }[]> {
    const state = await this.frame.state.read();
    return this.frame.repositories().map((repo) => {
      const repoNow = state.repositories[repo.name] ?? emptyRepoState();
      return { repo: repo.name, lastCopyAt: repoNow.lastCopyAt, lastCheckAt: repoNow.lastCheck?.at ?? repoNow.lastError?.at ?? null };
    });
  }
}
