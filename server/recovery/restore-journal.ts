import { chmod, lchown, lstat, lutimes, mkdir, readFile, rename, rm, rmdir, utimes } from 'node:fs/promises';
import path from 'node:path';
import { fsyncDir, pathExists, writeFileAtomic } from './fs-atomic';
import type { Owner, RestoreOp } from './restore-plan';
import type { RestoreRoot } from './restore-paths';

export type JournalPhase = 'staged' | 'committing' | 'committed' | 'finalizing';

/**
 * Written (and fsynced) before the first live file is touched; while it exists, the tree can
 * be driven forward (`resume`) or back (`rollback`) from whatever point a crash left it at.
 */
export interface RestoreJournal {
  version: 1;
  operationId: string;
  snapshotId: string;
  snapshotName: string;
  actor: string;
  reason: string;
  startedAt: string;
  phase: JournalPhase;
  mirror: boolean;
  roots: (RestoreRoot & { createdRoot: boolean })[];
  ops: RestoreOp[];
  /** Vigil's own state as it was before, base64 per file, when the restore replaces it. */
  previousState: Record<string, string> | null;
  restoredState: Record<string, string> | null;
}

export const journalPath = (storeRoot: string): string => path.join(storeRoot, 'restore-journal.json');

export async function readJournal(storeRoot: string): Promise<RestoreJournal | null> {
  try {
    return JSON.parse(await readFile(journalPath(storeRoot), 'utf8')) as RestoreJournal;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export async function writeJournal(storeRoot: string, journal: RestoreJournal): Promise<void> {
  await writeFileAtomic(journalPath(storeRoot), JSON.stringify(journal));
}

export async function deleteJournal(storeRoot: string): Promise<void> {
  await rm(journalPath(storeRoot), { force: true });
  await fsyncDir(storeRoot);
}

async function setMeta(dest: string, isDir: boolean, mode: number, mtimeMs: number, owner: Owner | null): Promise<void> {
  const seconds = mtimeMs / 1000;
  if (owner) await lchown(dest, owner.uid, owner.gid);
  if (isDir || !(await lstat(dest)).isSymbolicLink()) {
    await chmod(dest, mode);
    await utimes(dest, seconds, seconds);
  } else await lutimes(dest, seconds, seconds);
}

/** Idempotent: each op checks what is already done, so a replay after a crash is safe. */
export async function applyOp(op: RestoreOp): Promise<void> {
  switch (op.kind) {
    case 'write':
      if (!(await pathExists(op.staged))) return;
      if (op.hadOriginal && !(await pathExists(op.backup)) && (await pathExists(op.dest))) await rename(op.dest, op.backup);
      await rename(op.staged, op.dest);
      return;
    case 'mkdir': {
      const current = await lstat(op.dest).catch(() => null);
      if (current?.isDirectory() && (!op.hadOriginal || (await pathExists(op.backup)))) return;
      if (current && !(await pathExists(op.backup))) await rename(op.dest, op.backup);
      await mkdir(op.dest, { mode: op.mode });
      return;
    }
    case 'remove':
      if ((await pathExists(op.dest)) && !(await pathExists(op.backup))) await rename(op.dest, op.backup);
      return;
    case 'meta':
      await setMeta(op.dest, op.isDir, op.mode, op.mtimeMs, op.owner);
      return;
  }
}

/** Puts one op's original back, from any point between "not started" and "done". */
export async function revertOp(op: RestoreOp): Promise<void> {
  switch (op.kind) {
    case 'write':
      if (await pathExists(op.backup)) await rename(op.backup, op.dest);
      else if (!op.hadOriginal && !(await pathExists(op.staged))) await rm(op.dest, { force: true });
      return;
    case 'mkdir':
      if (!op.hadOriginal || (await pathExists(op.backup))) await rmdir(op.dest).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
      if (await pathExists(op.backup)) await rename(op.backup, op.dest);
      return;
    case 'remove':
      if (await pathExists(op.backup)) await rename(op.backup, op.dest);
      return;
    case 'meta':
      if (op.original && (await pathExists(op.dest))) await setMeta(op.dest, op.isDir, op.original.mode, op.original.mtimeMs, op.owner ? op.original.owner : null);
      return;
  }
}

/** Content first (newest op first), directory metadata last, since renames touch mtimes. */
export async function revertOps(ops: readonly RestoreOp[]): Promise<void> {
  const reversed = [...ops].reverse();
  for (const op of reversed) if (op.kind !== 'meta') await revertOp(op);
  for (const op of reversed) if (op.kind === 'meta') await revertOp(op);
}

/** Removes staging areas (and the backups in them) and any root the restore created empty. */
export async function removeWorkAreas(roots: RestoreJournal['roots'], { keepCreatedRoots }: { keepCreatedRoots: boolean }): Promise<void> {
  for (const root of roots) {
    await rm(root.staging, { recursive: true, force: true });
    if (root.createdRoot && !keepCreatedRoots) await rmdir(root.dir).catch(() => undefined);
  }
}

/** The parent directories of every renamed path, fsynced once each. */
export async function syncParents(ops: readonly RestoreOp[]): Promise<void> {
  const dirs = new Set(ops.filter((op) => op.kind !== 'meta').map((op) => path.dirname(op.dest)));
  await Promise.all([...dirs].map((dir) => fsyncDir(dir).catch(() => undefined)));
}

