import path from 'node:path';
import type { OffsiteRepositoryConfig } from '@/lib/config/offsite-config';
import type { SnapshotsConfig } from '@/lib/config/config-schema';
import type { AuditEventInput } from '@/lib/audit/types';
import type { RecoveryOperation, RecoveryProgress } from '@/lib/recovery/snapshot-schema';
import { ProgressReporter } from '../progress';
import { RecoveryError } from '../recovery-error';
import type { RestoreResult } from '../restore-snapshot';
import type { SnapshotStore } from '../snapshot-store';
import { acquireStoreLock, describeHolder, STORE_WAIT_MS, YieldedError } from '../store-lock';
import { sweepBundles } from './offsite-bundle';
import { OffsiteStateFile, repoState } from './offsite-state';
import { redactRepository } from './restic-failure';
import { runRestic, type ResticRun, type ResticSetup } from './restic-runner';

/** The actor of scheduled work: it gives way to an operator's. */
export const SCHEDULER_ACTOR = 'scheduler';

export interface OffsiteDeps {
  /** The local side: the store the copies come from and the restore they go back through. */
  local: {
    store(): Promise<SnapshotStore>;
    restore(input: { ref: string; targetDir?: string; mirror: boolean; dryRun: boolean; actor: string; reason: string }): Promise<RestoreResult>;
  };
  config: () => SnapshotsConfig;
  dataDir: string;
  searchPath: string;
  audit: { append(input: AuditEventInput): Promise<unknown> } | null;
  onProgress?: (progress: RecoveryProgress) => void;
}

/** What every off-site operation shares: the repository lookup, the lock, progress, the failure audit. */
export class OffsiteFrame {
  readonly state: OffsiteStateFile;
  /** Set while a scheduled operation holds the store: interrupts its restic when it gives way. */
  private yieldSignal: AbortSignal | undefined;

  constructor(readonly deps: OffsiteDeps) {
    this.state = OffsiteStateFile.in(deps.dataDir);
  }

  get setup(): ResticSetup {
    return { binary: this.deps.config().resticBinary, searchPath: this.deps.searchPath, cacheDir: path.join(this.deps.dataDir, 'restic-cache') };
  }

  /** restic for the operation holding the store: interrupted if that operation gives way. */
  restic(run: ResticRun): Promise<string> {
    return runRestic(this.setup, { signal: this.yieldSignal, ...run });
  }

  repositories(): OffsiteRepositoryConfig[] {
    return this.deps.config().offsite;
  }

  repo(name: string): OffsiteRepositoryConfig {
    const repo = this.repositories().find((r) => r.name === name);
    if (repo) return repo;
    const names = this.repositories().map((r) => r.name);
    throw new RecoveryError(
      'not_found',
      names.length
        ? `no off-site repository named ${JSON.stringify(name)} (configured: ${names.join(', ')})`
        : 'no off-site repository is configured (snapshots.offsite)',
    );
  }

  async audit(input: AuditEventInput): Promise<void> {
    await this.deps.audit?.append(input);
  }

  /**
   * Holds the snapshot store's lock for the whole operation (a copy must not read blobs a prune
   * is deleting), sweeps bundles a killed run left, and on failure audits it at high severity
   * and records it on the repository, so the console shows it. An operator's operation waits
   * its turn; the scheduler's is refused when the store is busy and gives way (its restic
   * interrupted) when an operator's operation comes: it runs again on a later tick.
   */
  async run<T>(
    operation: RecoveryOperation,
    label: string,
    input: { actor: string; repo: OffsiteRepositoryConfig },
    work: (store: SnapshotStore, progress: ProgressReporter) => Promise<{ result: T; message: string; ok?: boolean }>,
  ): Promise<T> {
    const store = await this.deps.local.store();
    const progress = new ProgressReporter(operation, label, (update) => this.deps.onProgress?.(update));
    const yieldable = input.actor === SCHEDULER_ACTOR ? new AbortController() : undefined;
    const lock = await acquireStoreLock(store.root, `${operation} ${label}`, {
      waitMs: yieldable ? 0 : STORE_WAIT_MS,
      onWaiting: (holder) => progress.queued(describeHolder(holder)),
      yieldable,
    }).catch((error: Error) => {
      if (progress.reported) progress.finish(false, error.message);
      throw error;
    });
    this.yieldSignal = yieldable?.signal;
    try {
      await sweepBundles(store);
      const { result, message, ok = true } = await work(store, progress);
      progress.finish(ok, message);
      return result;
    } catch (error) {
      const reason: unknown = yieldable?.signal.reason;
      if (reason instanceof YieldedError) {
        // Not a failure of the repository: nothing is recorded against it, and it is due again.
        progress.finish(false, `${operation} ${label} ${reason.message}`);
        throw new RecoveryError('busy', `${operation} ${label} ${reason.message}`);
      }
      const message = redactRepository((error as Error).message);
      progress.finish(false, message);
      await this.state
        .update((state) => void (repoState(state, input.repo.name).lastError = { at: new Date().toISOString(), ok: false, message }))
        .catch(() => undefined);
      await this.audit({
        type: `snapshot.${operation.replace('-', '_')}_failed`,
        severity: 'high',
        actor: input.actor,
        action: `${operation} ${label} (${input.repo.name})`,
        module: 'recovery',
        resource: `offsite:${input.repo.name}`,
        method: 'restic',
        details: { repository: input.repo.name, code: error instanceof RecoveryError ? error.code : 'error', error: message },
      }).catch(() => undefined);
      throw error;
    } finally {
      this.yieldSignal = undefined;
      await sweepBundles(store).catch(() => undefined);
      await lock.release();
    }
  }
}
