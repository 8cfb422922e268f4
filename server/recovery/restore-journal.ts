import { renameSync } from 'node:fs';
import { lstat, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { confinedMkdir, confinedRemove, confinedRename, confinedRmdir, confinedSetMeta } from './confined-fs';
import { fsyncDir, pathExists, writeFileAtomic } from './fs-atomic';
import { parseJournal, type RestoreJournal, type RestoreOp } from './restore-journal-schema';
import type { HeldDirs } from './staging-dir';

export { JOURNAL_VERSION, type JournalPhase, type RestoreJournal } from './restore-journal-schema';

/**
 * Written (and fsynced) before the first file of a restore is created; while it exists, the
 * tree can be driven forward (`resume`) or back (`rollback`) from whatever point a crash left
 * it at, and the staging areas it names can be found and removed.
 */
export const journalPath = (storeRoot: string): string => path.join(storeRoot, 'restore-journal.json');

export async function readJournal(storeRoot: string): Promise<RestoreJournal | null> {
  const file = journalPath(storeRoot);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return parseJournal(text, file);
}

/**
 * A journal is written at every phase of a restore, and its ops (the bulk of it: one per file)
 * never change once planned: they are serialized once per list, the rest each time.
 */
const serializedOps = new WeakMap<readonly RestoreOp[], string>();

export async function writeJournal(storeRoot: string, journal: RestoreJournal): Promise<void> {
  let ops = serializedOps.get(journal.ops);
  if (ops === undefined) {
    ops = JSON.stringify(journal.ops);
    serializedOps.set(journal.ops, ops);
  }
  const { ops: _ops, ...rest } = journal;
  await writeFileAtomic(journalPath(storeRoot), `${JSON.stringify(rest).slice(0, -1)},"ops":${ops}}`);
}

export async function deleteJournal(storeRoot: string): Promise<void> {
  await rm(journalPath(storeRoot), { force: true });
  await fsyncDir(storeRoot);
}

const anchorsOf = (journal: Pick<RestoreJournal, 'roots'>) => journal.roots.map((root) => root.anchor);

/** Idempotent: each op checks what is already done, so a replay after a crash is safe. */
export async function applyOp(op: RestoreOp, anchors: readonly string[]): Promise<void> {
  switch (op.kind) {
    case 'write':
      if (!(await pathExists(op.staged))) return;
      if (op.hadOriginal && !(await pathExists(op.backup)) && (await pathExists(op.dest))) await confinedRename(op.dest, op.backup, anchors);
      await confinedRename(op.staged, op.dest, anchors);
      return;
    case 'mkdir': {
      const current = await lstat(op.dest).catch(() => null);
      if (current?.isDirectory() && (!op.hadOriginal || (await pathExists(op.backup)))) return;
      if (current && !(await pathExists(op.backup))) await confinedRename(op.dest, op.backup, anchors);
      await confinedMkdir(op.dest, op.mode, anchors);
      return;
    }
    case 'remove':
      if ((await pathExists(op.dest)) && !(await pathExists(op.backup))) await confinedRename(op.dest, op.backup, anchors);
      return;
    case 'meta':
      await confinedSetMeta(op.dest, { mode: op.mode, mtimeMs: op.mtimeMs, owner: op.owner }, anchors);
      return;
  }
}

/**
 * applyOp for a file write, with every path reached through its held directory (checked once
 * for all the files in it, not once per path): the same steps, as idempotent. False, with
 * nothing done, where /proc does not lead back to the descriptors; applyOp is then the way.
 */
export async function applyWriteThrough(op: Extract<RestoreOp, { kind: 'write' }>, dirs: HeldDirs): Promise<boolean> {
  const staged = dirs.through(op.staged);
  const dest = dirs.through(op.dest);
  const backup = dirs.through(op.backup);
  if (staged === null || dest === null || backup === null) return false;
  if (op.hadOriginal) {
    if (!(await pathExists(staged))) return true;
    if (!(await pathExists(backup)) && (await pathExists(dest))) renameSync(dest, backup);
  }
  try {
    renameSync(staged, dest);
  } catch (error) {
    // Renamed before a crash, and this is the replay: done already.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !(await pathExists(staged))) return true;
    throw error;
  }
  return true;
}

/** Puts one op's original back, from any point between "not started" and "done". */
export async function revertOp(op: RestoreOp, anchors: readonly string[]): Promise<void> {
  switch (op.kind) {
    case 'write':
      if (await pathExists(op.backup)) await confinedRename(op.backup, op.dest, anchors);
      else if (!op.hadOriginal && !(await pathExists(op.staged))) await confinedRemove(op.dest, anchors);
      return;
    case 'mkdir':
      if (!op.hadOriginal || (await pathExists(op.backup))) await confinedRmdir(op.dest, anchors);
      if (await pathExists(op.backup)) await confinedRename(op.backup, op.dest, anchors);
      return;
    case 'remove':
      if (await pathExists(op.backup)) await confinedRename(op.backup, op.dest, anchors);
      return;
    case 'meta':
      if (op.original && (await pathExists(op.dest))) await confinedSetMeta(op.dest, { ...op.original, owner: op.owner ? op.original.owner : null }, anchors);
      return;
  }
}

/** Content first (newest op first), directory metadata last, since renames touch mtimes. */
export async function revertOps(journal: Pick<RestoreJournal, 'roots' | 'ops'>): Promise<void> {
  const anchors = anchorsOf(journal);
  const reversed = [...journal.ops].reverse();
  for (const op of reversed) if (op.kind !== 'meta') await revertOp(op, anchors);
  for (const op of reversed) if (op.kind === 'meta') await revertOp(op, anchors);
}

/** Removes staging areas (and the backups in them) and any root the restore created empty. */
export async function removeWorkAreas(roots: RestoreJournal['roots'], { keepCreatedRoots }: { keepCreatedRoots: boolean }): Promise<void> {
  const anchors = anchorsOf({ roots });
  for (const root of roots) {
    await confinedRemove(root.staging, anchors);
    if (root.createdRoot && !keepCreatedRoots) await confinedRmdir(root.dir, anchors).catch(() => undefined);
  }
}

/** The parent directories of every renamed path, fsynced once each. */
export async function syncParents(ops: readonly RestoreOp[]): Promise<void> {
  const dirs = new Set(ops.filter((op) => op.kind !== 'meta').map((op) => path.dirname(op.dest)));
  await Promise.all([...dirs].map((dir) => fsyncDir(dir).catch(() => undefined)));
}
