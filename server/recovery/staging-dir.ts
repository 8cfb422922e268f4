import { closeSync, constants, fstatSync, lstatSync, openSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { assertConfinedNow } from './confined-fs';
import { RecoveryError } from './recovery-error';

/**
 * A directory a restore works in, held open from the moment it is checked. Node has no openat(),
 * but /proc/self/fd/N/name is resolved from the directory descriptor N refers to, not from its
 * path: a file created or renamed that way lands in the directory that was checked, whatever is
 * swapped in at its path later, so the walk from the anchor is done once for the directory
 * instead of once per file.
 */
export interface HeldDir {
  readonly dir: string;
  /** The directory's own stats, taken when it was checked: the owner its new files get. */
  readonly stats: Stats;
  /** `file` (a name in this directory) reached through the descriptor; null where /proc does not lead back to it. */
  throughDescriptor(file: string): string | null;
  /** Throws unless the directory's path still leads, confined, to the directory held open. */
  assertInPlace(): void;
  close(): void;
}

/** A restore's staging directory, made by this restore. */
export interface StagingDir extends HeldDir {
  /** Where to create the staged file `file` (a path inside this directory) without a further check. */
  createPath(file: string): string;
}

const sameInode = (a: Stats, b: Stats) => a.dev === b.dev && a.ino === b.ino;

function lstatOrNull(file: string): Stats | null {
  try {
    return lstatSync(file, { throwIfNoEntry: false }) ?? null;
  } catch {
    return null;
  }
}

function procPathOf(fd: number, stats: Stats): string | null {
  const proc = `/proc/self/fd/${fd}`;
  try {
    return sameInode(statSync(proc), stats) ? proc : null;
  } catch {
    return null;
  }
}

/** A directory that is a symlink (or not a directory) is refused in the words of every other confinement check. */
function openDirNoFollow(dir: string, anchors: readonly string[]): number {
  try {
    return openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // The walk checks a path's directories: a name inside `dir` makes it check `dir` itself.
    if (code === 'ELOOP' || code === 'ENOTDIR') assertConfinedNow(path.join(dir, 'entry'), anchors);
    throw error;
  }
}

/**
 * Opens `dir` and checks, after opening, that its path leads to it through real directories
 * only. With `mine`, the directory must also belong to this process's user (one the restore made).
 */
export function holdDir(dir: string, anchors: readonly string[], { mine = false }: { mine?: boolean } = {}): HeldDir {
  const fd = openDirNoFollow(dir, anchors);
  try {
    const stats = fstatSync(fd);
    const assertInPlace = () => {
      assertConfinedNow(dir, anchors);
      const now = lstatOrNull(dir);
      if (!now || !sameInode(now, stats) || (mine && stats.uid !== process.geteuid?.()))
        throw new RecoveryError('unsafe_path', `${dir}: a directory the restore works in was replaced while the restore ran`);
    };
    assertInPlace();
    const proc = procPathOf(fd, stats);
    return {
      dir,
      stats,
      throughDescriptor(file) {
        if (path.dirname(file) !== dir) throw new Error(`${file} is not in the directory ${dir}`);
        return proc === null ? null : `${proc}/${path.basename(file)}`;
      },
      assertInPlace,
      close: () => closeSync(fd),
    };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** Where /proc does not lead back to the descriptor, every file's path is checked right before it is created. */
export function holdStagingDir(dir: string, anchors: readonly string[]): StagingDir {
  const held = holdDir(dir, anchors, { mine: true });
  return {
    ...held,
    createPath(file) {
      const through = held.throughDescriptor(file);
      if (through !== null) return through;
      assertConfinedNow(file, anchors);
      return file;
    },
  };
}

/** Directories held at once by a HeldDirs: well under any descriptor limit, and a tree is committed directory by directory. */
const HELD_AT_ONCE = 64;

/**
 * The directories one pass over many paths works in, each checked once when first held and
 * again when let go (the least recently used goes past HELD_AT_ONCE, and all of them at
 * `release`), so a directory swapped while the pass ran is reported, not used unnoticed.
 */
export class HeldDirs {
  private readonly held = new Map<string, HeldDir>();

  constructor(private readonly anchors: readonly string[]) {}

  /** `file` reached through its directory's descriptor; null where /proc does not lead back to one. */
  through(file: string): string | null {
    const dir = path.dirname(file);
    let entry = this.held.get(dir);
    if (entry) this.held.delete(dir);
    else entry = holdDir(dir, this.anchors);
    // Map order is use order: the first key is the least recently used.
    this.held.set(dir, entry);
    if (this.held.size > HELD_AT_ONCE) this.letGo(this.held.keys().next().value!);
    return entry.throughDescriptor(file);
  }

  /** Checks every directory still held is in place, and closes them all. */
  release(): void {
    try {
      for (const dir of [...this.held.keys()]) this.letGo(dir);
    } finally {
      this.close();
    }
  }

  /** Closes every directory still held, unchecked (the pass failed already). */
  close(): void {
    for (const entry of this.held.values()) entry.close();
    this.held.clear();
  }

  private letGo(dir: string): void {
    const entry = this.held.get(dir)!;
    this.held.delete(dir);
    try {
      entry.assertInPlace();
    } finally {
      entry.close();
    }
  }
}
