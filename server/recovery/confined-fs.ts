import { constants, lstatSync, mkdirSync, realpathSync, renameSync, rmdirSync, type Stats } from 'node:fs';
import { lchown, lstat, lutimes, open, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { RecoveryError } from './recovery-error';

/**
 * Every change a restore makes goes through here. Node has no openat(), so each operation first
 * lstat()s every component from the directory the restore is confined to (its anchor) down to
 * the parent of the path it changes, right before it acts, and refuses when one of them is a
 * symlink or not a directory; the final component is never followed (rename, mkdir, rmdir and
 * lchown do not follow it, and metadata is set through an O_NOFOLLOW descriptor).
 * The checks and the rename, mkdir and rmdir that follow them are synchronous calls: no other
 * work of this process runs between a check and its act, and a stat of a cached directory
 * costs microseconds where a round trip through the thread pool costs ten times more.
 */

/** The anchor `file` lies beneath: the longest one that contains it. */
export function anchorOf(file: string, anchors: readonly string[]): string | null {
  let longest: string | null = null;
  for (const anchor of anchors) {
    const contains = file === anchor || file.startsWith(anchor.endsWith(path.sep) ? anchor : anchor + path.sep);
    if (contains && (longest === null || anchor.length > longest.length)) longest = anchor;
  }
  return longest;
}

export interface ConfineOptions {
  /** Directories the restore replaces itself before anything is written beneath them. */
  replaced?: ReadonlySet<string>;
  /** Names the entry in the error; defaults to the path. Turned into a string only for an error. */
  label?: string | { toString(): string };
  /** Shared by the checks of one pass over many paths, which mostly share their directories. */
  cache?: ConfineCache;
}

export interface ConfineCache {
  lstat: Map<string, Stats | null>;
  realpath: Map<string, string | null>;
  /**
   * Directories whose walk from the anchor passed, with the `replaced` set it was given: the
   * check of a path depends only on its directory, and a walk without exceptions is the stricter.
   */
  passed: Map<string, ReadonlySet<string> | undefined>;
}

export const newConfineCache = (): ConfineCache => ({ lstat: new Map(), realpath: new Map(), passed: new Map() });

function passedBefore(cache: ConfineCache | undefined, dir: string, replaced: ReadonlySet<string> | undefined): boolean {
  if (!cache?.passed.has(dir)) return false;
  const before = cache.passed.get(dir);
  return before === undefined || before === replaced;
}

function cached<T>(map: Map<string, T> | undefined, key: string, load: (key: string) => T): T {
  if (map?.has(key)) return map.get(key) as T;
  const value = load(key);
  map?.set(key, value);
  return value;
}

function realpathOrNull(file: string): string | null {
  try {
    return realpathSync.native(file);
  } catch {
    return null;
  }
}

function lstatOrNull(file: string): Stats | null {
  try {
    return lstatSync(file, { throwIfNoEntry: false }) ?? null;
  } catch (error) {
    // Not there: the operation itself fails on it, and nothing can be reached through it.
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    throw error;
  }
}

/** Throws unless `file`'s anchor and every directory between it and `file` is a real directory. */
export function assertConfinedNow(file: string, anchors: readonly string[], options: ConfineOptions = {}): void {
  const label = options.label ?? file;
  const anchor = anchorOf(file, anchors);
  if (anchor === null) throw new RecoveryError('unsafe_path', `${label}: ${file} lies outside the restore target`);
  const dir = file === anchor ? anchor : path.dirname(file);
  if (passedBefore(options.cache, dir, options.replaced)) return;
  walkFromAnchor(anchor, dir, label, options);
  options.cache?.passed.set(dir, options.replaced);
}

function walkFromAnchor(anchor: string, dir: string, label: NonNullable<ConfineOptions['label']>, options: ConfineOptions): void {
  const below = path.relative(anchor, dir);
  const components = [anchor, ...(below === '' ? [] : below.split(path.sep))];
  let current = '';
  for (const component of components) {
    current = current === '' ? component : path.join(current, component);
    if (options.replaced?.has(current)) return;
    const stats = cached(options.cache?.lstat, current, lstatOrNull);
    if (stats === null) return;
    if (stats.isSymbolicLink()) throw new RecoveryError('unsafe_path', `${label}: ${current} is a symlink; a restore never writes through one`);
    if (!stats.isDirectory()) throw new RecoveryError('unsafe_path', `${label}: ${current} is not a directory`);
    // The anchor is a real path: if it no longer resolves to itself, a directory above it was
    // swapped, and the same name now leads somewhere else.
    if (current === anchor && cached(options.cache?.realpath, anchor, realpathOrNull) !== anchor) {
      throw new RecoveryError('unsafe_path', `${label}: ${anchor} no longer resolves to itself; a directory above it was replaced`);
    }
  }
}

/** assertConfinedNow for callers that go on to act asynchronously. */
export async function assertConfined(file: string, anchors: readonly string[], options: ConfineOptions = {}): Promise<void> {
  assertConfinedNow(file, anchors, options);
}

/** Both ends are checked back to back, sharing the lstat of their common directories and the anchor's realpath. */
export async function confinedRename(from: string, to: string, anchors: readonly string[]): Promise<void> {
  const cache = newConfineCache();
  assertConfinedNow(from, anchors, { cache });
  assertConfinedNow(to, anchors, { cache });
  renameSync(from, to);
}

export async function confinedMkdir(dir: string, mode: number, anchors: readonly string[]): Promise<void> {
  assertConfinedNow(dir, anchors);
  mkdirSync(dir, { mode });
}

/** rmdir that tolerates an already-missing directory. */
export async function confinedRmdir(dir: string, anchors: readonly string[]): Promise<void> {
  assertConfinedNow(dir, anchors);
  try {
    rmdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** rm -rf: it never descends through a symlink, so only the path to `file` needs checking. */
export async function confinedRemove(file: string, anchors: readonly string[]): Promise<void> {
  await assertConfined(file, anchors);
  await rm(file, { recursive: true, force: true });
}

export async function confinedSymlink(target: string, file: string, anchors: readonly string[]): Promise<void> {
  await assertConfined(file, anchors);
  await symlink(target, file);
}

export interface Meta {
  mode: number;
  mtimeMs: number;
  owner: { uid: number; gid: number } | null;
}

/**
 * chmod, chown and times without following a symlink at `file`: a symlink gets lchown and
 * lutimes (its mode means nothing), anything else is changed through an O_NOFOLLOW descriptor,
 * so a directory swapped for a symlink meanwhile fails (ELOOP) instead of changing its target.
 */
export async function confinedSetMeta(file: string, meta: Meta, anchors: readonly string[]): Promise<void> {
  await assertConfined(file, anchors);
  const seconds = meta.mtimeMs / 1000;
  if ((await lstat(file)).isSymbolicLink()) {
    if (meta.owner) await lchown(file, meta.owner.uid, meta.owner.gid);
    await lutimes(file, seconds, seconds);
    return;
  }
  const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    if (meta.owner) await handle.chown(meta.owner.uid, meta.owner.gid);
    await handle.chmod(meta.mode);
    await handle.utimes(seconds, seconds);
  } finally {
    await handle.close();
  }
}
