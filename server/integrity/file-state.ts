import { createHash } from 'node:crypto';
import { lstat, readlink } from 'node:fs/promises';
import type { FileState } from '@/lib/integrity/integrity-status';
import { hashFile, type WalkedEntry } from '../recovery';

const COMPARED = ['type', 'hash', 'size', 'mode', 'uid', 'gid'] as const;

/**
 * The attributes that differ. mtime is kept but not compared: `touch` or a checkout that
 * rewrites identical bytes changes it, and content, permissions and owner are what matter.
 */
export function differences(before: FileState, after: FileState): string[] {
  return COMPARED.filter((field) => before[field] !== after[field]);
}

const vanished = (error: unknown) => ['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '');

type Described = Pick<WalkedEntry, 'abs' | 'type' | 'mode' | 'uid' | 'gid' | 'size' | 'mtimeMs' | 'target'>;

/** Hashes a walked file or symlink; null when it vanished before it could be read. */
export async function stateOfEntry(entry: Described): Promise<FileState | null> {
  if (entry.type === 'dir') return null;
  const base = { type: entry.type, mode: entry.mode, uid: entry.uid, gid: entry.gid, mtimeMs: entry.mtimeMs };
  if (entry.type === 'symlink') {
    const target = entry.target ?? '';
    return { ...base, hash: createHash('sha256').update(target).digest('hex'), size: Buffer.byteLength(target) };
  }
  try {
    // The size is what was hashed, not what stat said a moment before.
    const { hash, size } = await hashFile(entry.abs, entry.size);
    return { ...base, hash, size };
  } catch (error) {
    if (vanished(error)) return null;
    throw error;
  }
}

/** The state of one path now; null when it is missing or is a directory or a special file. */
export async function observePath(abs: string): Promise<FileState | null> {
  try {
    const stats = await lstat(abs);
    const type = stats.isFile() ? 'file' : stats.isSymbolicLink() ? 'symlink' : null;
    if (!type) return null;
    const target = type === 'symlink' ? await readlink(abs) : undefined;
    return await stateOfEntry({ abs, type, mode: stats.mode & 0o7777, uid: stats.uid, gid: stats.gid, size: stats.size, mtimeMs: stats.mtimeMs, target });
  } catch (error) {
    if (vanished(error)) return null;
    throw error;
  }
}
