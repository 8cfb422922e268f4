import { createHash } from 'node:crypto';
import { closeSync, constants, fchmodSync, fchownSync, futimesSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { copyFile, open, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { linkIfAbsent } from './fs-atomic';
import { RecoveryError } from './recovery-error';
import type { SnapshotStore } from './snapshot-store';

const CHUNK = 4 << 20;
/** Below this a file is read in one call: fewer round trips through the thread pool. */
const SMALL = 1 << 20;

export interface HashedContent {
  hash: string;
  size: number;
}

async function readChunks(handle: FileHandle, sizeHint: number, each: (chunk: Buffer) => void): Promise<number> {
  // One buffer sized to the file (plus a byte to see the end in one read) for small files;
  // a fixed 4 MiB window for big ones.
  const length = Math.min(CHUNK, Math.max(sizeHint + 1, 4096));
  const buffer = Buffer.allocUnsafe(length);
  let size = 0;
  for (;;) {
    const { bytesRead } = await handle.read(buffer, 0, length, null);
    if (bytesRead === 0) return size;
    size += bytesRead;
    each(buffer.subarray(0, bytesRead));
  }
}

/**
 * Copies source to sink through `onChunk` (hashing), reading the next chunk while the
 * current one is written: a big file keeps the disk busy in both directions at once.
 */
async function pipeCopy(source: FileHandle, sink: FileHandle, sizeHint: number, onChunk: (chunk: Buffer) => void): Promise<number> {
  const length = Math.min(CHUNK, Math.max(sizeHint + 1, 4096));
  const buffers = [Buffer.allocUnsafe(length), Buffer.allocUnsafe(length)];
  let which = 0;
  let size = 0;
  let bytes = (await source.read(buffers[which], 0, length, null)).bytesRead;
  while (bytes > 0) {
    const chunk = buffers[which].subarray(0, bytes);
    onChunk(chunk);
    size += bytes;
    which ^= 1;
    const [, next] = await Promise.all([writeAll(sink, chunk), source.read(buffers[which], 0, length, null)]);
    bytes = next.bytesRead;
  }
  return size;
}

export async function hashFile(file: string, sizeHint = CHUNK): Promise<HashedContent> {
  const handle = await open(file, 'r');
  try {
    const hash = createHash('sha256');
    const size = await readChunks(handle, sizeHint, (chunk) => void hash.update(chunk));
    return { hash: hash.digest('hex'), size };
  } finally {
    await handle.close();
  }
}

function writeAllSync(fd: number, content: Buffer): void {
  for (let offset = 0; offset < content.length;) offset += writeSync(fd, content, offset);
}

async function writeAll(handle: FileHandle, chunk: Buffer): Promise<void> {
  let offset = 0;
  while (offset < chunk.length) offset += (await handle.write(chunk, offset, chunk.length - offset)).bytesWritten;
}

/** Moves a finished temporary file to its blob path, unless an identical blob is already there. */
async function publishBlob(store: SnapshotStore, tmp: string, hash: string): Promise<boolean> {
  const target = store.blobPath(hash);
  mkdirSync(path.dirname(target), { recursive: true });
  return linkIfAbsent(tmp, target);
}

/**
 * Not fsynced: the snapshot syncs the store's filesystem once (syncFilesystem) before its
 * manifest names the blob, and a crash before that leaves it to the sweep of abandoned blobs.
 * Synchronous calls: the content is under 1 MiB (or Vigil's own state), each call takes
 * microseconds, and the round trips through the thread pool they replace cost more.
 */
export async function storeBufferAsBlob(store: SnapshotStore, content: Buffer): Promise<HashedContent & { isNew: boolean }> {
  const hash = createHash('sha256').update(content).digest('hex');
  if (statSync(store.blobPath(hash), { throwIfNoEntry: false })) return { hash, size: content.length, isNew: false };
  const tmp = store.tempPath();
  const fd = openSync(tmp, 'wx', 0o640);
  try {
    writeAllSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return { hash, size: content.length, isNew: await publishBlob(store, tmp, hash) };
}

/**
 * Reads a file once, hashing it and writing it to the store as it goes. The content is
 * what was read, even if the file changes meanwhile: the hash always matches the blob.
 * Not fsynced, as storeBufferAsBlob.
 */
export async function storeFileAsBlob(store: SnapshotStore, file: string, sizeHint: number): Promise<HashedContent & { isNew: boolean }> {
  if (sizeHint < SMALL) return storeBufferAsBlob(store, readFileSync(file));
  const source = await open(file, 'r');
  const tmp = store.tempPath();
  const sink = await open(tmp, 'wx', 0o640);
  try {
    const hash = createHash('sha256');
    const size = await pipeCopy(source, sink, sizeHint, (chunk) => void hash.update(chunk));
    await sink.close();
    const digest = hash.digest('hex');
    return { hash: digest, size, isNew: await publishBlob(store, tmp, digest) };
  } catch (error) {
    await sink.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw error;
  } finally {
    await source.close();
  }
}

export interface StagedMeta {
  mode: number;
  mtimeMs?: number;
  /** Applied only when given: the caller decides whether it may chown. */
  owner?: { uid: number; gid: number };
}

function corruptBlob(expected: HashedContent, size: number, actual: string): RecoveryError {
  return new RecoveryError(
    'corrupt',
    `blob ${expected.hash.slice(0, 12)} is corrupt: read ${size} bytes hashing to ${actual.slice(0, 12)}, expected ${expected.size} bytes`,
  );
}

/** Owner, mode (after open, since the umask may have narrowed it) and times, through the open handle. */
async function applyMeta(handle: FileHandle, meta: StagedMeta): Promise<void> {
  if (meta.owner) await handle.chown(meta.owner.uid, meta.owner.gid);
  await handle.chmod(meta.mode);
  if (meta.mtimeMs !== undefined) await handle.utimes(meta.mtimeMs / 1000, meta.mtimeMs / 1000);
}

/**
 * Copies a blob to `dest` (which must not exist), verifying every byte; on a mismatch the
 * copy is removed and nothing else is touched. Big blobs are copied by the kernel
 * (copy_file_range) and the copy itself is then hashed, so what gets renamed into place is
 * exactly what was verified, at page-cache speed instead of through user-space buffers.
 * Not fsynced: the restore syncs the target's filesystem once (syncFilesystem) after staging
 * every file, before the first one is renamed into place.
 */
export async function copyBlobVerified(store: SnapshotStore, expected: HashedContent, dest: string, meta: StagedMeta): Promise<void> {
  const blob = store.blobPath(expected.hash);
  try {
    if (expected.size >= SMALL) await copyLarge(blob, dest, expected, meta);
    else await copySmall(blob, dest, expected, meta);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && (error as NodeJS.ErrnoException).path === blob) {
      throw new RecoveryError('corrupt', `blob ${expected.hash.slice(0, 12)} is missing from the store`);
    }
    await rm(dest, { force: true });
    throw error;
  }
}

async function copyLarge(blob: string, dest: string, expected: HashedContent, meta: StagedMeta): Promise<void> {
  await copyFile(blob, dest, constants.COPYFILE_EXCL);
  const sink = await open(dest, 'r+');
  try {
    const hash = createHash('sha256');
    const size = await readChunks(sink, expected.size, (chunk) => void hash.update(chunk));
    const actual = hash.digest('hex');
    if (actual !== expected.hash || size !== expected.size) throw corruptBlob(expected, size, actual);
    await applyMeta(sink, meta);
  } finally {
    await sink.close();
  }
}

/**
 * A small blob is read once, hashed in memory and written only if it is intact. Synchronous
 * calls: for a file under 1 MiB in the page cache, each takes microseconds, and the eight round
 * trips through the thread pool they replace cost more than the copy itself.
 */
async function copySmall(blob: string, dest: string, expected: HashedContent, meta: StagedMeta): Promise<void> {
  const content = readFileSync(blob);
  const actual = createHash('sha256').update(content).digest('hex');
  if (actual !== expected.hash || content.length !== expected.size) throw corruptBlob(expected, content.length, actual);
  const fd = openSync(dest, 'wx', meta.mode);
  try {
    writeAllSync(fd, content);
    if (meta.owner) fchownSync(fd, meta.owner.uid, meta.owner.gid);
    fchmodSync(fd, meta.mode);
    if (meta.mtimeMs !== undefined) futimesSync(fd, meta.mtimeMs / 1000, meta.mtimeMs / 1000);
  } finally {
    closeSync(fd);
  }
}

/** Re-hashes a stored blob; null when it is intact, else what is wrong with it. */
export async function checkBlob(store: SnapshotStore, expected: HashedContent): Promise<'missing' | 'corrupt' | null> {
  try {
    const actual = await hashFile(store.blobPath(expected.hash), expected.size);
    return actual.hash === expected.hash && actual.size === expected.size ? null : 'corrupt';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
}
