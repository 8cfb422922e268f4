import { execFile } from 'node:child_process';
import { linkSync, lstatSync, mkdirSync, rmSync } from 'node:fs';
import { open, rename, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * syncfs(2) on the filesystem holding `dir` (coreutils `sync --file-system`; node has no
 * binding): every file written there so far, with its directory entries, is on disk when it
 * resolves, and a write-back error since the last sync rejects it. One call instead of an
 * fsync per file: a snapshot or a restore of thousands of files waits for the disk once.
 */
export async function syncFilesystem(dir: string): Promise<void> {
  await execFileAsync('sync', ['--file-system', dir]);
}

/** fsync a directory so the renames inside it survive a power cut. */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Readers see the old content or the new, never half of either. */
export async function writeFileAtomic(file: string, data: string | Buffer, mode = 0o640): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, data, { mode, flush: true });
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  await fsyncDir(path.dirname(file));
}

/**
 * Does anything (a dangling symlink included) sit at this path? A synchronous lstat: a restore's
 * commit asks this several times per file, and a cached inode answers in microseconds.
 */
export async function pathExists(file: string): Promise<boolean> {
  try {
    return lstatSync(file, { throwIfNoEntry: false }) !== undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return false;
    throw error;
  }
}

/**
 * Gives a finished temporary file its final name unless that name is taken (link() fails where
 * rename() would silently replace), and removes the temporary name either way. Synchronous
 * calls: a snapshot publishes one blob per new small file, and two microsecond-long calls are
 * cheaper than two round trips through the thread pool. With `makeParent`, a missing parent
 * directory is made when the link finds it missing, not checked with a mkdir before each link.
 */
export function linkIfAbsentSync(tmp: string, file: string, { makeParent = false } = {}): boolean {
  try {
    linkSync(tmp, file);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'ENOENT' || !makeParent) throw error;
    mkdirSync(path.dirname(file), { recursive: true });
    return linkIfAbsentSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
}
