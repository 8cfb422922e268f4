import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { threadError, type BlobThreads, type CopyOutcome, type SmallCopy } from './blob-threads';
import { linkIfAbsentSync } from './fs-atomic';
import { RecoveryError } from './recovery-error';
import { copySmallBlob } from './small-copy.mjs';
import { openSourceFile } from './source-file.mjs';
import type { SnapshotStore } from './snapshot-store';

const CHUNK = 4 << 20;
/** Below this a file is read in one call on the calling thread; from this size up, on a blob thread. */
const SMALL = 1 << 20;

/** Whether a file of this size is copied and hashed on a blob thread. */
export const goesToBlobThread = (size: number) => size >= SMALL;

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

/** Moves a finished temporary file to its blob path, unless an identical blob is already there; true when it was not. */
export function publishBlob(store: SnapshotStore, tmp: string, hash: string): boolean {
  return linkIfAbsentSync(tmp, store.blobPath(hash), { makeParent: true });
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
  return { hash, size: content.length, isNew: publishBlob(store, tmp, hash) };
}

/**
 * Reads a file once, hashing it and writing it to the store as it goes. The content is
 * what was read, even if the file changes meanwhile: the hash always matches the blob.
 * A big file is read, hashed and written on a blob thread. Not fsynced, as storeBufferAsBlob.
 */
export async function storeFileAsBlob(store: SnapshotStore, file: string, sizeHint: number, threads: BlobThreads): Promise<HashedContent & { isNew: boolean }> {
  if (!goesToBlobThread(sizeHint)) {
    const fd = openSourceFile(file);
    let content: Buffer;
    try {
      content = readFileSync(fd);
    } finally {
      closeSync(fd);
    }
    return storeBufferAsBlob(store, content);
  }
  const tmp = store.tempPath();
  try {
    const { hash, size } = await threads.store(file, tmp);
    return { hash, size, isNew: publishBlob(store, tmp, hash) };
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
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

/**
 * Copies a blob to `dest` (which must not exist), verifying every byte; on a mismatch the
 * copy is removed and nothing else is touched. Big blobs are copied by the kernel
 * (copy_file_range) and the copy itself is then hashed, on a blob thread (blob-thread.mjs),
 * so what gets renamed into place is exactly what was verified.
 * Not fsynced: the restore syncs the target's filesystem once (syncFilesystem) after staging
 * every file, before the first one is renamed into place.
 */
export async function copyBlobVerified(store: SnapshotStore, expected: HashedContent, dest: string, meta: StagedMeta, threads: BlobThreads): Promise<void> {
  const blob = store.blobPath(expected.hash);
  try {
    if (goesToBlobThread(expected.size)) {
      const copied = await threads.copy(blob, dest, expected, meta);
      if (copied.hash !== expected.hash || copied.size !== expected.size) throw corruptBlob(expected, copied.size, copied.hash);
    } else copySmall(blob, dest, expected, meta);
  } catch (error) {
    if (isMissingBlob(error, blob)) throw missingBlob(expected);
    await rm(dest, { force: true });
    throw error;
  }
}

const isMissingBlob = (error: unknown, blob: string) => (error as NodeJS.ErrnoException).code === 'ENOENT' && (error as NodeJS.ErrnoException).path === blob;
const missingBlob = (expected: HashedContent) => new RecoveryError('corrupt', `blob ${expected.hash.slice(0, 12)} is missing from the store`);

/** A small copy for a blob thread lent by BlobThreads.lendIdle: the same copy copySmall makes here. */
export const smallCopy = (store: SnapshotStore, expected: HashedContent, dest: string, meta: StagedMeta): SmallCopy => ({
  blob: store.blobPath(expected.hash),
  dest,
  expected: { hash: expected.hash, size: expected.size },
  meta,
});

/**
 * Throws what copyBlobVerified would have thrown for a small copy a blob thread made (a
 * missing or corrupt blob, or node's own error), removing a copy that failed. A batch stops at
 * its first failure, so its later jobs have no outcome; they are not checked here.
 */
export function checkLentCopies(batch: readonly SmallCopy[], outcomes: readonly CopyOutcome[]): void {
  outcomes.forEach((outcome, index) => {
    const job = batch[index];
    if (outcome.ok && outcome.result.hash === job.expected.hash && outcome.result.size === job.expected.size) return;
    const error = outcome.ok ? corruptBlob(job.expected, outcome.result.size, outcome.result.hash) : threadError(outcome);
    if (isMissingBlob(error, job.blob)) throw missingBlob(job.expected);
    rmSync(job.dest, { force: true });
    throw error;
  });
  if (outcomes.length < batch.length) throw new Error(`a blob thread answered ${outcomes.length} of ${batch.length} copies`);
}

/** Reused by every small copy on this thread: each is hashed and written before the next is read. */
const smallBuffer = Buffer.allocUnsafe(SMALL + 1);

/** A small blob is read once, hashed in memory and written only if it is intact (small-copy.mjs). */
function copySmall(blob: string, dest: string, expected: HashedContent, meta: StagedMeta): void {
  const actual = copySmallBlob({ blob, dest, expected, meta }, smallBuffer);
  if (actual.hash !== expected.hash || actual.size !== expected.size) throw corruptBlob(expected, actual.size, actual.hash);
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
