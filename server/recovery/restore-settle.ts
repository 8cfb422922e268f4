import type { GateResult } from './health-gate';
import { timeSlicer } from './pool';
import type { RestoreOp } from './restore-journal-schema';
import { runHealthGate } from './health-gate';
import { runHook } from './hooks';
import { describeIoError, RecoveryError } from './recovery-error';
import {
  applyOp,
  applyWriteThrough,
  deleteJournal,
  readJournal,
  removeWorkAreas,
  revertOps,
  syncParents,
  writeJournal,
  type RestoreJournal,
} from './restore-journal';
import type { RestoreOptions, RestoreOutcome, RestoreResult } from './restore-snapshot';
import { HeldDirs } from './staging-dir';

type Summary = (outcome: RestoreOutcome, gate: GateResult | null, extra?: Partial<RestoreResult>) => RestoreResult;

export interface FinishOptions extends Pick<RestoreOptions, 'store' | 'hooks' | 'gate' | 'state' | 'progress' | 'killAfterOps'> {
  journal: RestoreJournal;
  summary: Summary;
}

export const decodeState = (files: Record<string, string>) => Object.fromEntries(Object.entries(files).map(([rel, b64]) => [rel, Buffer.from(b64, 'base64')]));

/** The commit's checks and renames are synchronous calls: the event loop runs between slices. */
const COMMIT_SLICE_MS = 4;

/**
 * The ops in journal order, with each run of file writes as one batch: a write renames one
 * staged file onto its own destination (whose directory the mkdirs before it made), so the
 * writes do not depend on each other and run together. Everything else keeps its order.
 */
export function commitBatches(ops: readonly RestoreOp[]): RestoreOp[][] {
  const batches: RestoreOp[][] = [];
  for (const op of ops) {
    const last = batches.at(-1);
    if (op.kind === 'write' && last?.[0].kind === 'write') last.push(op);
    else batches.push([op]);
  }
  return batches;
}

async function commit({ store, journal, state, progress, killAfterOps }: FinishOptions): Promise<void> {
  await writeJournal(store.root, { ...journal, phase: 'committing' });
  progress.phase('commit', { files: journal.ops.length });
  const anchors = journal.roots.map((root) => root.anchor);
  let done = 0;
  const slice = timeSlicer(COMMIT_SLICE_MS);
  const apply = async (op: RestoreOp, dirs: HeldDirs) => {
    await slice();
    if (op.kind !== 'write' || !(await applyWriteThrough(op, dirs))) await applyOp(op, anchors);
    done += 1;
    progress.advance(1, 0);
    if (killAfterOps !== undefined && done >= killAfterOps) process.kill(process.pid, 'SIGKILL');
  };
  // A run of writes renames into few directories: each is checked when first held and when let
  // go, and a directory swapped meanwhile fails the commit, which is then rolled back.
  for (const batch of commitBatches(journal.ops)) {
    const dirs = new HeldDirs(anchors);
    try {
      for (const op of batch) await apply(op, dirs);
      dirs.release();
    } finally {
      dirs.close();
    }
  }
  if (state && journal.restoredState) await state.importFiles(decodeState(journal.restoredState));
  await syncParents(journal.ops);
  await writeJournal(store.root, { ...journal, phase: 'committed' });
}

/** Nothing live was touched before the commit began: only the work areas have to go. */
const beforeCommit = (journal: RestoreJournal) => journal.phase === 'staging' || journal.phase === 'staged';

async function rollback({ store, journal, state, progress, hooks }: FinishOptions): Promise<void> {
  progress.phase('rollback', { files: journal.ops.length });
  if (!beforeCommit(journal)) {
    await revertOps(journal);
    if (state && journal.previousState) await state.importFiles(decodeState(journal.previousState));
    await syncParents(journal.ops);
  }
  await removeWorkAreas(journal.roots, { keepCreatedRoots: false });
  await deleteJournal(store.root);
  // The service was stopped for the restore (the stop hook runs once staging is done): bring it
  // back on the old files.
  if (journal.phase !== 'staging') await runHook('restart', hooks.restart, hooks.timeoutMs, hooks.searchPath).catch(() => undefined);
}

async function finalize({ store, journal }: FinishOptions): Promise<void> {
  await writeJournal(store.root, { ...journal, phase: 'finalizing' });
  await removeWorkAreas(journal.roots, { keepCreatedRoots: true });
  await deleteJournal(store.root);
}

export async function finishRestore(options: FinishOptions): Promise<RestoreResult> {
  const { progress, hooks, gate: gateConfig, summary } = options;
  try {
    await commit(options);
  } catch (error) {
    await rollback({ ...options, journal: { ...options.journal, phase: 'committing' } });
    return summary('rolled-back', null, { rollbackReason: `commit failed: ${describeIoError(error, 'commit').message}` });
  }
  try {
    progress.phase('restart-hook');
    await runHook('restart', hooks.restart, hooks.timeoutMs, hooks.searchPath);
  } catch (error) {
    await rollback({ ...options, journal: { ...options.journal, phase: 'committed' } });
    return summary('rolled-back', null, { rollbackReason: (error as Error).message });
  }
  progress.phase('health-gate', { files: gateConfig.checks.length });
  const gate = await runHealthGate(gateConfig);
  if (!gate.ok) {
    await rollback({ ...options, journal: { ...options.journal, phase: 'committed' } });
    const failed = gate.checks.filter((check) => !check.ok).map((check) => `${check.check}: ${check.message}`);
    return summary('rolled-back', gate, { rollbackReason: `health gate failed (${failed.join('; ')})` });
  }
  await finalize(options);
  return summary(options.journal.ops.length === 0 ? 'up-to-date' : 'restored', gate);
}

export interface PendingRestoreOptions extends Pick<RestoreOptions, 'store' | 'hooks' | 'gate' | 'state' | 'progress'> {
  action: 'resume' | 'rollback';
}

/**
 * Drives an interrupted restore (found by its journal) forward or back. One killed while it was
 * still staging changed nothing live and cannot be resumed (its copies are incomplete): either
 * action just removes its work areas.
 */
export async function settleInterruptedRestore(options: PendingRestoreOptions): Promise<RestoreResult> {
  const started = performance.now();
  const journal = await readJournal(options.store.root);
  if (!journal) throw new RecoveryError('not_found', 'there is no interrupted restore to resume or roll back');
  options.progress.rename(journal.snapshotName);
  const summary: Summary = (outcome, gate, extra = {}) => ({
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
  if (journal.phase === 'staging') {
    await rollback(finish);
    return summary('rolled-back', null, {
      rollbackReason: 'the restore was interrupted while staging, before anything live changed; its work areas were removed (run the restore again)',
    });
  }
  if (options.action === 'rollback') {
    await rollback(finish);
    return summary('rolled-back', null, { rollbackReason: 'rolled back by an operator after an interrupted restore' });
  }
  return finishRestore(finish);
}
