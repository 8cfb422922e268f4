import path from 'node:path';
import type { SnapshotsConfig } from '@/lib/config/config-schema';
import type { AuditEventInput } from '@/lib/audit/types';
import type { RecoveryOperation, RecoveryProgress, SnapshotHeader, SnapshotTag } from '@/lib/recovery/snapshot-schema';
import { createSnapshot } from './create-snapshot';
import { OffsiteService } from './offsite';
import { diffManifests, liveEntries, type DiffLine } from './diff-snapshots';
import { ProgressReporter } from './progress';
import { RecoveryError } from './recovery-error';
import { pruneSnapshots, type PruneResult } from './prune-snapshots';
import { interruptedRestoreEvent, pendingRestoreIn, type PendingRestore } from './pending-restore';
import { readJournal } from './restore-journal';
import { restoreEvent } from './restore-event';
import { restoreSnapshot, type RestoreResult } from './restore-snapshot';
import { settleInterruptedRestore } from './restore-settle';
import { openStore, type SnapshotStore } from './snapshot-store';
import { acquireStoreLock, describeHolder, STORE_WAIT_MS } from './store-lock';
import { verifySnapshot, type VerifyResult } from './verify-snapshot';
import { VIGIL_STATE_SOURCE, type VigilStateAccess } from './vigil-state';

export interface AuditSink {
  append(input: AuditEventInput): Promise<unknown>;
}

export interface RecoveryServiceOptions {
  dataDir: string;
  config: () => SnapshotsConfig;
  state: VigilStateAccess | null;
  audit: AuditSink | null;
  onProgress?: (progress: RecoveryProgress) => void;
  killAfterOps?: number;
  /** PATH for hook and health-check programs. */
  searchPath: string;
}

export interface GoldenStatus {
  newest: Pick<SnapshotHeader, 'id' | 'name' | 'createdAt'> | null;
  verifiedAt: string | null;
  maxAgeHours: number;
  /** True when there is no verified golden snapshot younger than the policy allows. */
  stale: boolean;
}

export interface RecoveryOverview {
  snapshots: SnapshotHeader[];
  golden: GoldenStatus;
  pendingRestore: PendingRestore | null;
  running: RecoveryProgress | null;
  sources: { name: string; path: string }[];
  storePath: string;
}

const stamp = (date: Date) => date.toISOString().slice(0, 19).replace(/[:T]/g, '-');

export function goldenStatus(snapshots: readonly SnapshotHeader[], maxAgeHours: number, now = new Date()): GoldenStatus {
  const verifiedGolden = snapshots.filter((s) => s.tags.includes('golden') && s.lastVerification?.ok).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const newest = verifiedGolden[0] ?? null;
  const ageHours = newest ? (now.getTime() - Date.parse(newest.createdAt)) / 3_600_000 : Infinity;
  return {
    newest: newest ? { id: newest.id, name: newest.name, createdAt: newest.createdAt } : null,
    verifiedAt: newest?.lastVerification?.at ?? null,
    maxAgeHours,
    stale: ageHours > maxAgeHours,
  };
}

/** One entry point for every snapshot operation, used alike by the worker and the CLI. */
export class RecoveryService {
  private running: RecoveryProgress | null = null;
  /** Copies in restic repositories; they restore through this service's restore. */
  readonly offsite: OffsiteService;

  constructor(private readonly options: RecoveryServiceOptions) {
    this.offsite = new OffsiteService({ ...options, local: this });
  }

  get storePath(): string {
    return this.options.config().store ?? path.join(this.options.dataDir, 'snapshots');
  }

  store(): Promise<SnapshotStore> {
    return openStore(this.storePath);
  }

  async overview(): Promise<RecoveryOverview> {
    const store = await this.store();
    const snapshots = await store.list();
    const config = this.options.config();
    return {
      snapshots,
      golden: goldenStatus(snapshots, config.goldenMaxAgeHours),
      pendingRestore: await pendingRestoreIn(store.root),
      running: this.running,
      sources: config.sources.map(({ name, path: sourcePath }) => ({ name, path: sourcePath })),
      storePath: store.root,
    };
  }

  /** At worker start: settles a restore killed while staging, reports any other interrupted one. */
  async reviewInterruptedRestore(): Promise<PendingRestore | null> {
    const pending = await pendingRestoreIn(this.storePath);
    if (pending?.phase === 'staging') {
      await this.settle({ action: 'rollback', actor: 'system', reason: 'a restore interrupted while staging, found at start' });
      return null;
    }
    if (pending) await this.audit(interruptedRestoreEvent(pending));
    return pending;
  }

  async create(input: { name?: string; tags: SnapshotTag[]; actor: string; paths?: string[] }): Promise<SnapshotHeader> {
    const config = this.options.config();
    const name = input.name ?? `${input.tags[0] ?? 'manual'}-${stamp(new Date())}`;
    const sources = input.paths?.length
      ? input.paths.map((p) => ({ name: path.basename(path.resolve(p)).replace(/[^A-Za-z0-9._-]/g, '_') || 'root', path: path.resolve(p), exclude: [] }))
      : config.sources;
    const created = await this.run('create', name, input.actor, async (store, progress) => {
      const pending = await readJournal(store.root);
      if (pending)
        throw new RecoveryError(
          'interrupted_restore',
          `an interrupted restore of ${pending.snapshotName} is pending: settle it (--resume or --rollback) before taking a snapshot of a half-restored tree`,
        );
      const virtualSources =
        config.includeVigilState && this.options.state ? [{ name: VIGIL_STATE_SOURCE, files: await this.options.state.exportFiles() }] : [];
      const header = await createSnapshot({ store, name, tags: input.tags, actor: input.actor, sources, virtualSources, progress });
      await this.audit({
        type: 'snapshot.created',
        severity: 'info',
        actor: input.actor,
        action: `create snapshot ${name}`,
        module: 'recovery',
        resource: `snapshot:${name}`,
        method: 'snapshot',
        details: {
          id: header.id,
          manifestHash: header.manifestHash,
          tags: header.tags,
          files: header.files,
          bytes: header.bytes,
          newBytes: header.newBytes,
          durationMs: header.durationMs,
        },
      });
      return { result: header, message: `snapshot ${name}: ${header.files} files` };
    });
    await this.offsite.afterCreate(created, input.actor);
    return created;
  }

  async verify(input: { ref: string; actor: string }): Promise<VerifyResult> {
    return this.run('verify', input.ref, input.actor, async (store, progress) => {
      const result = await verifySnapshot({ store, ref: input.ref, progress });
      const { summary, header } = result;
      await this.audit({
        type: summary.ok ? 'snapshot.verified' : 'snapshot.corrupt',
        severity: summary.ok ? 'info' : 'high',
        actor: input.actor,
        action: `verify snapshot ${header.name}`,
        module: 'recovery',
        resource: `snapshot:${header.name}`,
        method: 'sha256',
        details: {
          id: header.id,
          manifestHash: header.manifestHash,
          ok: summary.ok,
          files: summary.files,
          bytes: summary.bytes,
          problems: summary.problems.slice(0, 20),
        },
      });
      return { result, message: summary.ok ? 'verified' : `${summary.problems.length} problems`, ok: summary.ok };
    });
  }

  async restore(input: { ref: string; targetDir?: string; mirror: boolean; dryRun: boolean; actor: string; reason: string }): Promise<RestoreResult> {
    const config = this.options.config();
    return this.run('restore', input.ref, input.actor, async (store, progress) => {
      const result = await restoreSnapshot({
        store,
        ref: input.ref,
        targetDir: input.targetDir,
        mirror: input.mirror,
        dryRun: input.dryRun,
        actor: input.actor,
        reason: input.reason,
        ...this.hooksAndGate(config),
        state: this.options.state ?? undefined,
        progress,
        killAfterOps: this.options.killAfterOps,
      });
      if (!input.dryRun) await this.audit(restoreEvent(result, input));
      return { result, message: result.outcome, ok: result.outcome !== 'rolled-back' };
    });
  }

  async settle(input: { action: 'resume' | 'rollback'; actor: string; reason: string }): Promise<RestoreResult> {
    const config = this.options.config();
    return this.run('restore', 'interrupted restore', input.actor, async (store, progress) => {
      const result = await settleInterruptedRestore({
        store,
        action: input.action,
        ...this.hooksAndGate(config),
        state: this.options.state ?? undefined,
        progress,
      });
      await this.audit(restoreEvent(result, { ...input, targetDir: undefined, mirror: false }));
      return { result, message: result.outcome, ok: result.outcome !== 'rolled-back' || input.action === 'rollback' };
    });
  }

  async prune(input: { dryRun: boolean; actor: string }): Promise<PruneResult> {
    return this.run('prune', 'store', input.actor, async (store, progress) => {
      const result = await pruneSnapshots({ store, policy: this.options.config().retention, dryRun: input.dryRun, progress });
      if (!input.dryRun && (result.removedSnapshots.length > 0 || result.removedBlobs > 0)) {
        await this.audit({
          type: 'snapshot.pruned',
          severity: 'info',
          actor: input.actor,
          action: 'prune snapshots',
          module: 'recovery',
          method: 'retention',
          details: { removed: result.removedSnapshots, removedBlobs: result.removedBlobs, freedBytes: result.freedBytes },
        });
      }
      return { result, message: `removed ${result.removedSnapshots.length} snapshots` };
    });
  }

  /** `against` omitted: the snapshot against the live tree it was taken from. */
  async diff(input: { ref: string; against?: string }): Promise<DiffLine[]> {
    const store = await this.store();
    const header = await store.find(input.ref);
    const manifest = await store.readManifest(header.manifestHash);
    if (!input.against)
      return diffManifests(
        manifest.entries.filter((e) => !e.path.startsWith(`${VIGIL_STATE_SOURCE}`)),
        await liveEntries(manifest),
      );
    const other = await store.find(input.against);
    return diffManifests(manifest.entries, (await store.readManifest(other.manifestHash)).entries);
  }

  private hooksAndGate(config: SnapshotsConfig) {
    const { searchPath } = this.options;
    return {
      hooks: { stop: config.hooks.stop, restart: config.hooks.restart, timeoutMs: config.hooks.timeoutSeconds * 1000, searchPath },
      gate: { checks: config.healthGate.checks, timeoutMs: config.healthGate.timeoutSeconds * 1000, searchPath },
    };
  }

  private async audit(input: AuditEventInput): Promise<void> {
    await this.options.audit?.append(input);
  }

  /** Lock, report progress, audit a failure, unlock: the frame every operation shares. */
  private async run<T>(
    operation: RecoveryOperation,
    label: string,
    actor: string,
    work: (store: SnapshotStore, progress: ProgressReporter) => Promise<{ result: T; message: string; ok?: boolean }>,
  ): Promise<T> {
    const store = await this.store();
    const progress = new ProgressReporter(operation, label, (update) => {
      this.running = update.finished ? null : update;
      this.options.onProgress?.(update);
    });
    const lock = await acquireStoreLock(store.root, `${operation} ${label}`, {
      waitMs: STORE_WAIT_MS,
      onWaiting: (holder) => progress.queued(describeHolder(holder)),
    }).catch((error: Error) => {
      if (progress.reported) progress.finish(false, error.message);
      throw error;
    });
    try {
      const { result, message, ok = true } = await work(store, progress);
      progress.finish(ok, message);
      return result;
    } catch (error) {
      progress.finish(false, (error as Error).message);
      await this.audit({
        type: `snapshot.${operation}_failed`,
        severity: operation === 'restore' ? 'high' : 'warning',
        actor,
        action: `${operation} snapshot ${label}`,
        module: 'recovery',
        resource: `snapshot:${label}`,
        method: operation,
        details: { error: (error as Error).message },
      }).catch(() => undefined);
      throw error;
    } finally {
      await lock.release();
    }
  }
}
