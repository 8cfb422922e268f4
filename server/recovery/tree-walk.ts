import { lstat, readdir, readlink, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import path from 'node:path';
import { pathFilter } from '@/lib/glob';
import { RecoveryError } from './recovery-error';

/** Left behind only by an interrupted restore; never part of a snapshot or a diff. */
export const RESTORE_WORK_PREFIX = '.vigil-restore-';

export interface WalkedEntry {
  /** Relative to the walked root with forward slashes; '' for the root itself. */
  rel: string;
  abs: string;
  type: 'file' | 'dir' | 'symlink';
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  target?: string;
}

export interface WalkResult {
  entries: WalkedEntry[];
  /** Sockets, devices and FIFOs: they have no content to keep. */
  skipped: string[];
}

function typeOf(stats: Stats): WalkedEntry['type'] | null {
  if (stats.isFile()) return 'file';
  if (stats.isDirectory()) return 'dir';
  if (stats.isSymbolicLink()) return 'symlink';
  return null;
}

async function toEntry(rel: string, abs: string, stats: Stats): Promise<WalkedEntry | null> {
  const type = typeOf(stats);
  if (!type) return null;
  return {
    rel,
    abs,
    type,
    mode: stats.mode & 0o7777,
    uid: stats.uid,
    gid: stats.gid,
    size: type === 'file' ? stats.size : 0,
    mtimeMs: stats.mtimeMs,
    ctimeMs: stats.ctimeMs,
    ino: stats.ino,
    target: type === 'symlink' ? await readlink(abs) : undefined,
  };
}

/** Every entry under root (root included), in path order, minus the excluded ones. */
export async function walkTree(root: string, exclude: readonly string[] = []): Promise<WalkResult> {
  const filter = pathFilter(exclude);
  let rootStats: Stats;
  try {
    // A source given as a symlink (e.g. /srv/current) means what it points to.
    rootStats = await stat(root);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new RecoveryError('source_missing', `${root} does not exist`);
    throw error;
  }
  const entries: WalkedEntry[] = [];
  const skipped: string[] = [];
  const rootEntry = await toEntry('', root, rootStats);
  if (!rootEntry) throw new RecoveryError('bad_input', `${root} is neither a file, a directory nor a symlink`);
  entries.push(rootEntry);

  const visit = async (dirRel: string, dirAbs: string): Promise<void> => {
    let names: string[];
    try {
      names = (await readdir(dirAbs)).sort();
    } catch (error) {
      // Removed since it was listed: like a vanished file, it is simply not part of this tree.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const children = await Promise.all(
      names.map(async (name) => {
        const rel = dirRel ? `${dirRel}/${name}` : name;
        if (name.startsWith(RESTORE_WORK_PREFIX) || filter.excludes(rel)) return null;
        const abs = path.join(dirAbs, name);
        try {
          const entry = await toEntry(rel, abs, await lstat(abs));
          if (!entry) skipped.push(rel);
          return entry;
        } catch (error) {
          // Deleted between readdir and lstat: it is simply not part of this tree.
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
          throw error;
        }
      }),
    );
    for (const child of children) {
      if (!child) continue;
      entries.push(child);
      if (child.type === 'dir') await visit(child.rel, child.abs);
    }
  };
  if (rootEntry.type === 'dir') await visit('', root);
  return { entries, skipped };
}
