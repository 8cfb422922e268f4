import { lstatSync, readdirSync, readlinkSync, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { pathFilter } from '@/lib/glob';
import { timeSlicer } from './pool';
import { RecoveryError } from './recovery-error';

/** Left behind only by an interrupted restore; never part of a snapshot or a diff. */
export const RESTORE_WORK_PREFIX = '.vigil-restore-';

/** Longest run of synchronous stat calls before the walk lets other work in. */
const SLICE_MS = 4;

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

function toEntry(rel: string, abs: string, stats: Stats): WalkedEntry | null {
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
    target: type === 'symlink' ? readlinkSync(abs) : undefined,
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
  const rootEntry = toEntry('', root, rootStats);
  if (!rootEntry) throw new RecoveryError('bad_input', `${root} is neither a file, a directory nor a symlink`);
  entries.push(rootEntry);

  // Synchronous calls: a stat of a cached inode takes a few microseconds, its round trip
  // through the thread pool (a promise and a Stats object handed across threads) ten times more.
  const slice = timeSlicer(SLICE_MS);
  const visit = async (dirRel: string, dirAbs: string): Promise<void> => {
    await slice();
    let names: string[];
    try {
      names = readdirSync(dirAbs).sort();
    } catch (error) {
      // Removed since it was listed: like a vanished file, it is simply not part of this tree.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const children: WalkedEntry[] = [];
    for (const name of names) {
      const rel = dirRel ? `${dirRel}/${name}` : name;
      if (name.startsWith(RESTORE_WORK_PREFIX) || filter.excludes(rel)) continue;
      const abs = path.join(dirAbs, name);
      try {
        // Deleted between readdir and lstat: it is simply not part of this tree.
        const stats = lstatSync(abs, { throwIfNoEntry: false });
        const entry = stats ? toEntry(rel, abs, stats) : null;
        if (entry) children.push(entry);
        else if (stats) skipped.push(rel);
      } catch (error) {
        // A symlink replaced between lstat and readlink is gone as far as this walk goes.
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw error;
      }
    }
    for (const child of children) {
      entries.push(child);
      if (child.type === 'dir') await visit(child.rel, child.abs);
    }
  };
  if (rootEntry.type === 'dir') await visit('', root);
  return { entries, skipped };
}
