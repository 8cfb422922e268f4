import { lchown, lstat, lutimes, mkdir, readFile, symlink } from 'node:fs/promises';
import type { HealthCheckConfig } from '@/lib/config/config-schema';
import type { FileEntry, Manifest, RestoreChange, SnapshotHeader } from '@/lib/recovery/snapshot-schema';
import { copyBlobVerified } from './blob-io';
import { runHealthGate, type GateResult } from './health-gate';
import { resolveProgram, runHook } from './hooks';
import { runPool } from './pool';
import type { ProgressReporter } from './progress';
import { describeIoError, RecoveryError } from './recovery-error';
import { applyOp, readJournal, removeWorkAreas, revertOps, syncParents, writeJournal, deleteJournal, type RestoreJournal } from './restore-journal';
import { restoreRoots, VIRTUAL_SOURCE_PREFIX } from './restore-paths';
import { ownerOf, planRestore, type RestoreOp } from './restore-plan';
import type { SnapshotStore } from './snapshot-store';
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

const virtualFiles = (manifest: Manifest, sourceName: string): FileEntry[] =>
  manifest.entries.filter((e): e is FileEntry => e.type === 'file' && e.path.startsWith(`${sourceName}/`));

async function stage(store: SnapshotStore, ops: RestoreOp[], progress: ProgressReporter, bytes: number, asRoot: boolean): Promise<void> {
  const writes = ops.filter((op): op is Extract<RestoreOp, { kind: 'write' }> => op.kind === 'write');
  progress.phase('stage', { files: writes.length, bytes });
  await runPool(writes, CONCURRENCY, async (op) => {
    if (op.type === 'file') {
      await copyBlobVerified(store, op.entry, op.staged, { mode: op.entry.mode, mtimeMs: op.entry.mtimeMs, owner: ownerOf(op.entry, asRoot) ?? undefined });
      progress.advance(1, op.entry.size);
    } else {
      await symlink(op.entry.target, op.staged);
      const owner = ownerOf(op.entry, asRoot);
      if (owner) await lchown(op.staged, owner.uid, owner.gid);
      await lutimes(op.staged, op.entry.mtimeMs / 1000, op.entry.mtimeMs / 1000);
      progress.advance(1, 0);
    }
  });
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

const decodeState = (files: Record<string, string>) => Object.fromEntries(Object.entries(files).map(([rel, b64]) => [rel, Buffer.from(b64, 'base64')]));

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
    throw new RecoveryError('interrupted-restore', `an interrupted restore of ${pending.snapshotName} is pending: finish it with \`vigil snapshot restore --resume\` or undo it with \`vigil snapshot restore --rollback\``);
  }
  const header = await store.find(options.ref);
  progress.rename(header.name);
  const manifest = await store.readManifest(header.manifestHash);
  const roots = restoreRoots(manifest, progress.operationId, options.targetDir);
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
  if (options.dryRun) return summary('dry-run', null);

  const stateSource = manifest.sources.find((s) => s.path.startsWith(VIRTUAL_SOURCE_PREFIX));
  const stateFiles = restoresState && stateSource ? virtualFiles(manifest, stateSource.name) : [];
  const problems = await verifyBlobs(store, [...plan.unchangedFiles, ...stateFiles], progress);
  if (problems.length > 0) throw new RecoveryError('corrupt', `snapshot ${header.name} is damaged (${problems.length} files, first ${problems[0].path}: ${problems[0].message}); nothing was changed`, problems);

  const journal: RestoreJournal = {
    version: 1,
    operationId: progress.operationId,
    snapshotId: header.id,
    snapshotName: header.name,
    actor: options.actor,
    reason: options.reason,
    startedAt: new Date().toISOString(),
    phase: 'staged',
    mirror: options.mirror,
    roots: [],
    ops: plan.ops,
    previousState: restoresState && options.state ? await exportState(options.state) : null,
    restoredState,
  };
  try {
    for (const root of roots) {
      const existed = await lstat(root.dir).then(() => true, () => false);
      if (root.rootType === 'dir') await mkdir(root.dir, { recursive: true });
      await mkdir(root.staging, { recursive: true, mode: 0o700 });
      journal.roots.push({ ...root, createdRoot: !existed });
    }
    await stage(store, plan.ops, progress, plan.writeBytes, asRoot);
    await writeJournal(store.root, journal);
    progress.phase('stop-hook');
    await runHook('stop', options.hooks.stop, options.hooks.timeoutMs, options.hooks.searchPath);
  } catch (error) {
    await removeWorkAreas(journal.roots, { keepCreatedRoots: false });
    await deleteJournal(store.root);
    const described = describeIoError(error, `restore of ${header.name}`);
    throw described instanceof RecoveryError ? new RecoveryError(described.code, `${described.message}; nothing was changed`, described.details) : described;
  }
  return finishRestore({ ...options, journal, summary });
}

interface FinishOptions extends Pick<RestoreOptions, 'store' | 'hooks' | 'gate' | 'state' | 'progress' | 'killAfterOps'> {
  journal: RestoreJournal;
  summary: (outcome: RestoreOutcome, gate: GateResult | null, extra?: Partial<RestoreResult>) => RestoreResult;
}

async function commit({ store, journal, state, progress, killAfterOps }: FinishOptions): Promise<void> {
  await writeJournal(store.root, { ...journal, phase: 'committing' });
  progress.phase('commit', { files: journal.ops.length });
  let done = 0;
  for (const op of journal.ops) {
    await applyOp(op);
    done += 1;
    progress.advance(1, 0);
    if (killAfterOps !== undefined && done >= killAfterOps) process.kill(process.pid, 'SIGKILL');
  }
  if (state && journal.restoredState) await state.importFiles(decodeState(journal.restoredState));
  await syncParents(journal.ops);
  await writeJournal(store.root, { ...journal, phase: 'committed' });
}

async function rollback({ store, journal, state, progress, hooks }: FinishOptions): Promise<void> {
  progress.phase('rollback', { files: journal.ops.length });
  await revertOps(journal.ops);
  if (state && journal.previousState) await state.importFiles(decodeState(journal.previousState));
  await syncParents(journal.ops);
  await removeWorkAreas(journal.roots, { keepCreatedRoots: false });
  await deleteJournal(store.root);
  // The service was stopped for the restore: bring it back on the old files.
  await runHook('restart', hooks.restart, hooks.timeoutMs, hooks.searchPath).catch(() => undefined);
}

async function finalize({ store, journal }: FinishOptions): Promise<void> {
  await writeJournal(store.root, { ...journal, phase: 'finalizing' });
  await removeWorkAreas(journal.roots, { keepCreatedRoots: true });
  await deleteJournal(store.root);
}

async function finishRestore(options: FinishOptions): Promise<RestoreResult> {
  const { progress, hooks, gate: gateConfig, summary } = options;
  try {
    await commit(options);
  } catch (error) {
    await rollback(options);
    return summary('rolled-back', null, { rollbackReason: `commit failed: ${describeIoError(error, 'commit').message}` });
  }
  try {
    progress.phase('restart-hook');
    await runHook('restart', hooks.restart, hooks.timeoutMs, hooks.searchPath);
  } catch (error) {
    await rollback(options);
    return summary('rolled-back', null, { rollbackReason: (error as Error).message });
  }
  progress.phase('health-gate', { files: gateConfig.checks.length });
  const gate = await runHealthGate(gateConfig);
  if (!gate.ok) {
    await rollback(options);
    const failed = gate.checks.filter((check) => !check.ok).map((check) => `${check.check}: ${check.message}`);
    return summary('rolled-back', gate, { rollbackReason: `health gate failed (${failed.join('; ')})` });
  }
  await finalize(options);
  return summary(options.journal.ops.length === 0 ? 'up-to-date' : 'restored', gate);
}

export interface PendingRestoreOptions extends Pick<RestoreOptions, 'store' | 'hooks' | 'gate' | 'state' | 'progress'> {
  action: 'resume' | 'rollback';
}

/** Drives an interrupted restore (found by its journal) forward or back. */
export async function settleInterruptedRestore(options: PendingRestoreOptions): Promise<RestoreResult> {
  const started = performance.now();
  const journal = await readJournal(options.store.root);
  if (!journal) throw new RecoveryError('not-found', 'there is no interrupted restore to resume or roll back');
  options.progress.rename(journal.snapshotName);
  const summary = (outcome: RestoreOutcome, gate: GateResult | null, extra: Partial<RestoreResult> = {}): RestoreResult => ({
    snapshot: { id: journal.snapshotId, name: journal.snapshotName, manifestHash: '' },
    outcome,
    changes: [],
    filesWritten: journal.ops.filter((op) => op.kind === 'write').length,
    bytesWritten: journal.ops.reduce((sum, op) => sum + (op.kind === 'write' && op.type === 'file' ? op.entry.size : 0), 0),
    removed: journal.ops.filter((op) => op.kind === 'remove').length,
    durationMs: Math.round(performance.now() - started),
    gate,
    ...extra,
  });
  const finish: FinishOptions = { ...options, journal, summary };
  if (journal.phase === 'finalizing') {
    await finalize(finish);
    return summary('restored', null);
  }
  if (options.action === 'rollback') {
    await rollback(finish);
    return summary('rolled-back', null, { rollbackReason: 'rolled back by an operator after an interrupted restore' });
  }
  return finishRestore(finish);
}
