import { lchown, lutimes, mkdir, readFile, symlink } from 'node:fs/promises';
import path from 'node:path';
import type { HealthCheckConfig } from '@/lib/config/config-schema';
import type { FileEntry, Manifest, RestoreChange, SnapshotHeader } from '@/lib/recovery/snapshot-schema';
import { checkLentCopies, copyBlobVerified, goesToBlobThread, smallCopy } from './blob-io';
import { BlobThreads } from './blob-threads';
import { shareWithIdleThreads } from './shared-work';
import { assertConfined, confinedMkdir } from './confined-fs';
import { pathExists, syncFilesystem } from './fs-atomic';
import type { GateResult } from './health-gate';
import { resolveProgram, runHook } from './hooks';
import { restorableManifestSchema } from './manifest-rules';
import { bigFilesFirst, runPool, timeSlicer } from './pool';
import type { ProgressReporter } from './progress';
import { describeIoError, namingFullFilesystem, RecoveryError } from './recovery-error';
import { deleteJournal, JOURNAL_VERSION, readJournal, removeWorkAreas, writeJournal, type RestoreJournal } from './restore-journal';
import { restoreRoots, VIRTUAL_SOURCE_PREFIX } from './restore-paths';
import { ownerOf, planRestore, type RestoreOp } from './restore-plan';
import { assertRestoreConfined, sweepStaleStaging } from './restore-safety';
import { finishRestore } from './restore-settle';
import type { SnapshotStore } from './snapshot-store';
import { holdStagingDir, type StagingDir } from './staging-dir';
import { verifyBlobs } from './verify-snapshot';
import type { VigilStateAccess } from './vigil-state';

export interface RestoreHooks {
  stop?: string[];
  restart?: string[];
  timeoutMs: number;
  /** PATH for finding hook programs, from the process's parsed environment. */
  searchPath: string;
}

export interface RestoreGate {
  checks: HealthCheckConfig[];
  timeoutMs: number;
  searchPath: string;
}

export interface RestoreOptions {
  store: SnapshotStore;
  ref: string;
  targetDir?: string;
  mirror: boolean;
  dryRun: boolean;
  actor: string;
  reason: string;
  hooks: RestoreHooks;
  gate: RestoreGate;
  state?: VigilStateAccess;
  progress: ProgressReporter;
  /** Fault injection for the crash tests: SIGKILL this process after that many committed ops. */
  killAfterOps?: number;
}

export type RestoreOutcome = 'restored' | 'dry-run' | 'rolled-back' | 'up-to-date';

export interface RestoreResult {
  snapshot: Pick<SnapshotHeader, 'id' | 'name' | 'manifestHash'>;
  outcome: RestoreOutcome;
  changes: RestoreChange[];
  filesWritten: number;
  bytesWritten: number;
  removed: number;
  durationMs: number;
  gate: GateResult | null;
  /** Why the restore was rolled back, when it was. */
  rollbackReason?: string;
}

// Many fsyncs in flight let ext4 commit them together; the launchers size libuv's pool to match.
const CONCURRENCY = 16;
/** Small files are staged with synchronous calls (blob-io): the event loop runs between slices. */
const STAGE_SLICE_MS = 4;

const virtualFiles = (manifest: Manifest, sourceName: string): FileEntry[] =>
  manifest.entries.filter((e): e is FileEntry => e.type === 'file' && e.path.startsWith(`${sourceName}/`));

async function stage(store: SnapshotStore, journal: RestoreJournal, progress: ProgressReporter, bytes: number, asRoot: boolean): Promise<void> {
  const anchors = journal.roots.map((root) => root.anchor);
  const held = new Map<string, StagingDir>();
  try {
    for (const root of journal.roots) if (!held.has(root.staging)) held.set(root.staging, holdStagingDir(root.staging, anchors));
    await stageFiles(store, journal, progress, bytes, asRoot, held);
    // What was staged is committed from these paths: they must still lead to what was staged.
    for (const dir of held.values()) dir.assertInPlace();
  } finally {
    for (const dir of held.values()) dir.close();
  }
  // Every staged file and link reaches the disk before the first one is renamed into place.
  for (const staging of held.keys()) await syncFilesystem(staging);
}

/**
 * Who a new file in `dir` belongs to before any chown: whatever decides that (this process's
 * ids, a set-group-ID directory, the file system's own rules) gave the directory, made by this
 * restore, the same owner.
 */
const creatorOf = (dir: StagingDir) => ({ uid: dir.stats.uid, gid: dir.stats.gid });

async function stageFiles(
  store: SnapshotStore,
  journal: RestoreJournal,
  progress: ProgressReporter,
  bytes: number,
  asRoot: boolean,
  held: ReadonlyMap<string, StagingDir>,
): Promise<void> {
  const writes = journal.ops.filter((op): op is Extract<RestoreOp, { kind: 'write' }> => op.kind === 'write');
  progress.phase('stage', { files: writes.length, bytes });
  const slice = timeSlicer(STAGE_SLICE_MS);
  const stagingOf = (staged: string) => held.get(path.dirname(staged))!;
  const createPath = (staged: string) => stagingOf(staged).createPath(staged);
  const metaOf = (entry: FileEntry, staged: string) => {
    const owner = ownerOf(entry, asRoot);
    const creator = creatorOf(stagingOf(staged));
    // A chown to the owner the file was created with changes nothing.
    const chown = owner && (owner.uid !== creator.uid || owner.gid !== creator.gid) ? owner : undefined;
    return { mode: entry.mode, mtimeMs: entry.mtimeMs, owner: chown };
  };
  type FileWrite = Extract<(typeof writes)[number], { type: 'file' }>;
  const isSmallFile = (op: (typeof writes)[number]) => op.type === 'file' && !goesToBlobThread(op.entry.size);
  const small = writes.filter((op): op is FileWrite => isSmallFile(op));
  const rest = writes.filter((op) => !isSmallFile(op));
  const threads = new BlobThreads();
  try {
    await shareWithIdleThreads(threads, 'copySmallBatch', small, {
      slice,
      here: async (op) => {
        await copyBlobVerified(store, op.entry, createPath(op.staged), metaOf(op.entry, op.staged), threads);
        progress.advance(1, op.entry.size);
      },
      job: (op) => smallCopy(store, op.entry, createPath(op.staged), metaOf(op.entry, op.staged)),
      done: (batch, outcomes) => {
        checkLentCopies(batch, outcomes);
        progress.advance(
          batch.length,
          batch.reduce((sum, job) => sum + job.expected.size, 0),
        );
      },
      // Big blobs and links go first (big ones to blob threads), so they are copied while the small ones are.
      alongside: () =>
        runPool(
          bigFilesFirst(rest, (op) => op.type === 'file'),
          CONCURRENCY,
          async (index) => {
            const op = rest[index];
            await slice();
            const staged = createPath(op.staged);
            if (op.type === 'file') {
              await copyBlobVerified(store, op.entry, staged, metaOf(op.entry, op.staged), threads);
              progress.advance(1, op.entry.size);
            } else {
              await symlink(op.entry.target, staged);
              const owner = ownerOf(op.entry, asRoot);
              if (owner) await lchown(staged, owner.uid, owner.gid);
              await lutimes(staged, op.entry.mtimeMs / 1000, op.entry.mtimeMs / 1000);
              progress.advance(1, 0);
            }
          },
        ),
    });
  } finally {
    await threads.close();
  }
}

async function readVirtualState(store: SnapshotStore, manifest: Manifest): Promise<Record<string, string> | null> {
  const source = manifest.sources.find((s) => s.path.startsWith(VIRTUAL_SOURCE_PREFIX));
  if (!source) return null;
  const files: Record<string, string> = {};
  for (const entry of virtualFiles(manifest, source.name)) {
    const content = await readFile(store.blobPath(entry.hash));
    files[entry.path.slice(source.name.length + 1)] = content.toString('base64');
  }
  return files;
}

async function exportState(state: VigilStateAccess): Promise<Record<string, string>> {
  return Object.fromEntries((await state.exportFiles()).map((file) => [file.rel, file.content.toString('base64')]));
}

/**
 * Verify, stage, stop, commit, restart, gate; on a failed gate, everything goes back. No live
 * file is touched until every byte that will be written has been copied and verified.
 */
export async function restoreSnapshot(options: RestoreOptions): Promise<RestoreResult> {
  const started = performance.now();
  const { store, progress } = options;
  const pending = await readJournal(store.root);
  if (pending) {
    throw new RecoveryError(
      'interrupted_restore',
      `an interrupted restore of ${pending.snapshotName} is pending: finish it with \`vigil snapshot restore --resume\` or undo it with \`vigil snapshot restore --rollback\``,
    );
  }
  const header = await store.find(options.ref);
  progress.rename(header.name);
  const manifest = await store.readManifest(header.manifestHash, restorableManifestSchema, `snapshot ${header.name}`);
  const roots = await restoreRoots(manifest, progress.operationId, options.targetDir);
  // A missing hook program is found now, not after the stop hook has run.
  for (const argv of [options.hooks.stop, options.hooks.restart]) if (argv && !options.dryRun) await resolveProgram(argv[0], options.hooks.searchPath);

  const asRoot = process.getuid?.() === 0;
  const plan = await planRestore(manifest, roots, { mirror: options.mirror, asRoot, progress });
  const restoresState = !options.targetDir && options.state !== undefined;
  const restoredState = restoresState ? await readVirtualState(store, manifest) : null;
  const summary = (outcome: RestoreOutcome, gate: GateResult | null, extra: Partial<RestoreResult> = {}): RestoreResult => ({
    snapshot: { id: header.id, name: header.name, manifestHash: header.manifestHash },
    outcome,
    changes: plan.changes,
    filesWritten: plan.ops.filter((op) => op.kind === 'write').length,
    bytesWritten: plan.writeBytes,
    removed: plan.ops.filter((op) => op.kind === 'remove').length,
    durationMs: Math.round(performance.now() - started),
    gate,
    ...extra,
  });
  const journal: RestoreJournal = {
    version: JOURNAL_VERSION,
    operationId: progress.operationId,
    snapshotId: header.id,
    snapshotName: header.name,
    actor: options.actor,
    reason: options.reason,
    startedAt: new Date().toISOString(),
    phase: 'staging',
    mirror: options.mirror,
    roots: await Promise.all(roots.map(async (root) => ({ ...root, createdRoot: !(await pathExists(root.dir)) }))),
    ops: plan.ops,
    previousState: null,
    restoredState,
  };
  await assertRestoreConfined(journal);
  if (options.dryRun) return summary('dry-run', null);

  const stateSource = manifest.sources.find((s) => s.path.startsWith(VIRTUAL_SOURCE_PREFIX));
  const stateFiles = restoresState && stateSource ? virtualFiles(manifest, stateSource.name) : [];
  const problems = await verifyBlobs(store, [...plan.unchangedFiles, ...stateFiles], progress);
  if (problems.length > 0)
    throw new RecoveryError(
      'corrupt',
      `snapshot ${header.name} is damaged (${problems.length} files, first ${problems[0].path}: ${problems[0].message}); nothing was changed`,
      problems,
    );
  journal.previousState = restoresState && options.state ? await exportState(options.state) : null;

  const onStore = <T>(work: () => Promise<T>) => namingFullFilesystem(`the snapshot store (${store.root})`, work);
  const onTarget = <T>(work: () => Promise<T>) =>
    namingFullFilesystem(`the restore target (${options.targetDir ?? roots.map((root) => root.dir).join(', ')})`, work);
  let stopped = false;
  try {
    // Journaled before the first directory is made, so a restore killed while staging leaves
    // a record of its work areas, which settling it removes.
    await onStore(() => writeJournal(store.root, journal));
    await sweepStaleStaging(roots);
    await onTarget(() => prepareRoots(journal));
    await onTarget(() => stage(store, journal, progress, plan.writeBytes, asRoot));
    journal.phase = 'staged';
    await onStore(() => writeJournal(store.root, journal));
    progress.phase('stop-hook');
    stopped = true;
    await runHook('stop', options.hooks.stop, options.hooks.timeoutMs, options.hooks.searchPath);
    // The stop hook may have changed the tree (or someone else did meanwhile): check again.
    await assertRestoreConfined(journal);
  } catch (error) {
    // A work area now reachable only through a symlink stays where it is: a later restore
    // sweeps it once it is safe to reach.
    await removeWorkAreas(journal.roots, { keepCreatedRoots: false }).catch(() => undefined);
    await deleteJournal(store.root);
    if (stopped) await runHook('restart', options.hooks.restart, options.hooks.timeoutMs, options.hooks.searchPath).catch(() => undefined);
    const described = describeIoError(error, `restore of ${header.name}`);
    throw described instanceof RecoveryError ? new RecoveryError(described.code, `${described.message}; nothing was changed`, described.details) : described;
  }
  return finishRestore({ ...options, journal, summary });
}

/** Creates the directories the restore works in, each beneath its anchor and never through a symlink. */
async function prepareRoots(journal: RestoreJournal): Promise<void> {
  const anchors = journal.roots.map((root) => root.anchor);
  for (const root of journal.roots) {
    // The anchor's own parents are the operator's, not the snapshot's: created as asked.
    await mkdir(root.anchor, { recursive: true });
    await assertConfined(root.anchor, anchors, { label: `source ${root.source}` });
    if (root.rootType === 'dir' && !(await pathExists(root.dir))) await confinedMkdir(root.dir, 0o700, anchors);
    await confinedMkdir(root.staging, 0o700, anchors);
  }
}
