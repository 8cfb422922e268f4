import { closeSync, constants, fstatSync, lstatSync, openSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { assertConfinedNow } from './confined-fs';
import { RecoveryError } from './recovery-error';

/**
 * A restore's staging directory, held open from the moment it is made and checked. Node has no
 * openat(), but /proc/self/fd/N/name is resolved from the directory descriptor N refers to, not
 * from its path: a file created that way lands in the directory that was checked, whatever is
 * swapped in at its path later, so the walk from the anchor is done once for the directory
 * instead of once per staged file. Where /proc does not lead back to the descriptor, every
 * file's path is checked right before it is created, as before.
 */
export interface StagingDir {
  readonly dir: string;
  /** The directory's own stats, taken when it was checked: the owner its new files get. */
  readonly stats: Stats;
  /** Where to create the staged file `file` (a path inside this directory) without a further check. */
  createPath(file: string): string;
  /** Throws unless the directory's path still leads, confined, to the directory held open. */
  assertInPlace(): void;
  close(): void;
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

/** Opens `dir` (made by this restore) and checks, after opening, that its path leads to it through real directories only. */
export function holdStagingDir(dir: string, anchors: readonly string[]): StagingDir {
  const fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
  try {
    const stats = fstatSync(fd);
    const assertInPlace = () => {
      assertConfinedNow(dir, anchors);
      const now = lstatOrNull(dir);
      if (!now || !sameInode(now, stats) || stats.uid !== process.geteuid?.())
        throw new RecoveryError('unsafe_path', `${dir}: the restore's staging directory was replaced while the restore ran`);
    };
    assertInPlace();
    const proc = procPathOf(fd, stats);
    return {
      dir,
      stats,
      createPath(file) {
        if (path.dirname(file) !== dir) throw new Error(`${file} is not in the staging directory ${dir}`);
        if (proc === null) {
          assertConfinedNow(file, anchors);
          return file;
        }
        return `${proc}/${path.basename(file)}`;
      },
      assertInPlace,
      close: () => closeSync(fd),
    };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}
