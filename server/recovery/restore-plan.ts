import { lstatSync, type Stats } from 'node:fs';
import { readlink } from 'node:fs/promises';
import path from 'node:path';
import type { FileEntry, Manifest, ManifestEntry, RestoreChange } from '@/lib/recovery/snapshot-schema';
import { hashFile } from './blob-io';
import { runPool, timeSlicer } from './pool';
import type { ProgressReporter } from './progress';
import { destinationOf, type RestoreRoot } from './restore-paths';
import type { Owner, RestoreOp } from './restore-journal-schema';
import { walkTree } from './tree-walk';

/** Every step is replayable: the journal holds this list, and a crash resumes or reverses it. */
export type { Owner, RestoreOp } from './restore-journal-schema';

/** Ownership is restored only by root, and only for entries that recorded it. */
export const ownerOf = (entry: ManifestEntry, asRoot: boolean): Owner | null =>
  asRoot && entry.uid !== undefined && entry.gid !== undefined ? { uid: entry.uid, gid: entry.gid } : null;
const ownerFrom = (stats: Stats): Owner => ({ uid: stats.uid, gid: stats.gid });
const sameOwner = (stats: Stats, owner: Owner | null) => !owner || (stats.uid === owner.uid && stats.gid === owner.gid);

export interface RestorePlan {
  roots: RestoreRoot[];
  ops: RestoreOp[];
  changes: RestoreChange[];
  /** File entries whose blob is not copied (the target already matches): verified separately. */
  unchangedFiles: FileEntry[];
  writeBytes: number;
}

/** Synchronous: a stat of a cached inode (or of a name that is not there) costs less than a round trip through the thread pool. */
function lstatOrNull(file: string): Stats | null {
  try {
    return lstatSync(file, { throwIfNoEntry: false }) ?? null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    throw error;
  }
}

/** The stats of the destinations are taken in slices of this long: the event loop runs between them. */
const STAT_SLICE_MS = 4;

const underAny = (dest: string, dirs: readonly string[]) => dirs.some((dir) => dest.startsWith(dir + path.sep));

/**
 * Compares the snapshot with what is on disk now. Files of the same size are hashed, so a
 * tampered file with a forged mtime is still found; everything else is a stat.
 */
export async function planRestore(
  manifest: Manifest,
  roots: RestoreRoot[],
  options: { mirror: boolean; asRoot: boolean; progress: ProgressReporter },
): Promise<RestorePlan> {
  const byName = new Map(roots.map((root) => [root.source, root]));
  const placed = manifest.entries
    .map((entry) => ({ entry, at: destinationOf(entry.path, byName) }))
    .filter((item): item is { entry: ManifestEntry; at: NonNullable<ReturnType<typeof destinationOf>> } => item.at !== null);

  const ops: RestoreOp[] = [];
  const changes: RestoreChange[] = [];
  const unchangedFiles: FileEntry[] = [];
  // Directories that replace something else: what is under them now does not count.
  const recreated: string[] = [];
  const stats = new Map<string, Stats | null>();
  const slice = timeSlicer(STAT_SLICE_MS);
  for (const { at } of placed) {
    await slice();
    stats.set(at.dest, lstatOrNull(at.dest));
  }

  // A file with other hard links shares its inode with paths outside the restore's reach: it is
  // replaced by a fresh copy, never chmodded or kept in place.
  const toHash = placed.filter(
    ({ entry, at }) => entry.type === 'file' && stats.get(at.dest)?.isFile() && stats.get(at.dest)?.nlink === 1 && stats.get(at.dest)?.size === entry.size,
  );
  options.progress.phase('compare', { files: toHash.length, bytes: toHash.reduce((sum, { entry }) => sum + (entry.type === 'file' ? entry.size : 0), 0) });
  const liveHashes = new Map<string, string>();
  await runPool(toHash, 4, async ({ entry, at }) => {
    liveHashes.set(at.dest, (await hashFile(at.dest, entry.type === 'file' ? entry.size : undefined)).hash);
    options.progress.advance(1, entry.type === 'file' ? entry.size : 0);
  });

  let index = 0;
  const work = (root: RestoreRoot, suffix: string) => path.join(root.staging, `${suffix}${index++}`);
  const dirMetas: RestoreOp[] = [];
  for (const { entry, at } of placed) {
    const current = underAny(at.dest, recreated) ? null : (stats.get(at.dest) ?? null);
    const rel = entry.path;
    const owner = ownerOf(entry, options.asRoot);
    if (entry.type === 'dir') {
      if (current?.isDirectory()) {
        if ((current.mode & 0o7777) !== entry.mode) changes.push({ path: rel, change: 'mode' });
        dirMetas.push({
          kind: 'meta',
          dest: at.dest,
          isDir: true,
          mode: entry.mode,
          mtimeMs: entry.mtimeMs,
          owner,
          original: { mode: current.mode & 0o7777, mtimeMs: current.mtimeMs, owner: ownerFrom(current) },
        });
      } else {
        if (at.dest === at.root.dir) {
          // The root was created before staging; only its metadata is left to set.
          dirMetas.push({ kind: 'meta', dest: at.dest, isDir: true, mode: entry.mode, mtimeMs: entry.mtimeMs, owner, original: null });
          continue;
        }
        recreated.push(at.dest);
        ops.push({ kind: 'mkdir', dest: at.dest, mode: entry.mode, backup: work(at.root, 'b'), hadOriginal: current !== null });
        dirMetas.push({ kind: 'meta', dest: at.dest, isDir: true, mode: entry.mode, mtimeMs: entry.mtimeMs, owner, original: null });
        changes.push({ path: rel, change: current ? 'modify' : 'add' });
      }
      continue;
    }
    if (entry.type === 'symlink') {
      if (current?.isSymbolicLink() && (await readlink(at.dest)) === entry.target) continue;
      const n = index++;
      ops.push({
        kind: 'write',
        type: 'symlink',
        entry,
        dest: at.dest,
        staged: path.join(at.root.staging, `s${n}`),
        backup: path.join(at.root.staging, `b${n}`),
        hadOriginal: current !== null,
      });
      changes.push({ path: rel, change: current ? 'modify' : 'add' });
      continue;
    }
    if (current?.isFile() && liveHashes.get(at.dest) === entry.hash) {
      unchangedFiles.push(entry);
      const mode = current.mode & 0o7777;
      if (mode !== entry.mode || current.mtimeMs !== entry.mtimeMs || !sameOwner(current, owner)) {
        if (mode !== entry.mode || !sameOwner(current, owner)) changes.push({ path: rel, change: 'mode' });
        ops.push({
          kind: 'meta',
          dest: at.dest,
          isDir: false,
          mode: entry.mode,
          mtimeMs: entry.mtimeMs,
          owner,
          original: { mode, mtimeMs: current.mtimeMs, owner: ownerFrom(current) },
        });
      }
      continue;
    }
    const n = index++;
    ops.push({
      kind: 'write',
      type: 'file',
      entry,
      dest: at.dest,
      staged: path.join(at.root.staging, `s${n}`),
      backup: path.join(at.root.staging, `b${n}`),
      hadOriginal: current !== null,
    });
    changes.push({ path: rel, change: current ? 'modify' : 'add' });
  }

  if (options.mirror) {
    const wanted = new Set(placed.map(({ at }) => at.dest));
    const removed: string[] = [];
    for (const root of roots) {
      if (root.rootType !== 'dir' || !lstatOrNull(root.dir)?.isDirectory()) continue;
      const { entries } = await walkTree(root.dir, root.exclude);
      for (const live of entries) {
        if (wanted.has(live.abs) || underAny(live.abs, removed) || underAny(live.abs, recreated)) continue;
        removed.push(live.abs);
        ops.push({ kind: 'remove', dest: live.abs, backup: work(root, 'b') });
        changes.push({ path: `${root.source}/${live.rel}`, change: 'remove' });
      }
    }
  }

  // mkdirs parents first, then files, then removals, then directory times (deepest first,
  // since adding entries to a directory changes its mtime).
  const rank = { mkdir: 0, write: 1, remove: 2, meta: 3 } as const;
  ops.sort((a, b) => rank[a.kind] - rank[b.kind]);
  dirMetas.sort((a, b) => b.dest.length - a.dest.length);
  ops.push(...dirMetas);
  const writeBytes = ops.reduce((sum, op) => sum + (op.kind === 'write' && op.type === 'file' ? op.entry.size : 0), 0);
  return { roots, ops, changes: changes.sort((a, b) => a.path.localeCompare(b.path)), unchangedFiles, writeBytes };
}
