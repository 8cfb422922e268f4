// A blob thread: copies big files into or out of the snapshot store and hashes them as it goes,
// so SHA-256 and the file I/O of big files run on their own core while the main thread handles
// small files. Plain JavaScript with only node's built-ins, so it runs unchanged under the
// worker, the CLI (dist/) and the tests. Blocking calls are the point here: this thread does
// nothing else.
import { createHash } from 'node:crypto';
import { closeSync, constants, copyFileSync, fchmodSync, fchownSync, fdatasyncSync, futimesSync, openSync, readSync, writeSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { copySmallBlob } from './small-copy.mjs';
import { openSourceFile } from './source-file.mjs';

const CHUNK = 4 << 20;
const buffer = Buffer.allocUnsafe(CHUNK);

function eachChunk(fd, onChunk) {
  let size = 0;
  for (;;) {
    const bytesRead = readSync(fd, buffer, 0, CHUNK, null);
    if (bytesRead === 0) return size;
    size += bytesRead;
    onChunk(buffer.subarray(0, bytesRead));
  }
}

/** Reads `file` once, writing what was read to `tmp` (created here) and hashing it: the hash is the blob's. */
function store({ file, tmp }) {
  const source = openSourceFile(file);
  try {
    const sink = openSync(tmp, 'wx', 0o640);
    try {
      const hash = createHash('sha256');
      const size = eachChunk(source, (chunk) => {
        hash.update(chunk);
        for (let offset = 0; offset < chunk.length;) offset += writeSync(sink, chunk, offset);
      });
      return { hash: hash.digest('hex'), size };
    } finally {
      closeSync(sink);
    }
  } finally {
    closeSync(source);
  }
}

/**
 * The kernel copies the blob to `dest` (copy_file_range, page cache to page cache); the copy
 * itself is then hashed, so what gets renamed into place later is what was verified. Owner,
 * mode and times are set through the same descriptor, and only on a copy that matches, which
 * is then flushed.
 */
function copy({ blob, dest, expected, meta }) {
  copyFileSync(blob, dest, constants.COPYFILE_EXCL);
  const fd = openSync(dest, 'r+');
  try {
    const hash = createHash('sha256');
    const size = eachChunk(fd, (chunk) => void hash.update(chunk));
    const digest = hash.digest('hex');
    if (digest === expected.hash && size === expected.size) {
      if (meta.owner) fchownSync(fd, meta.owner.uid, meta.owner.gid);
      fchmodSync(fd, meta.mode);
      if (meta.mtimeMs !== undefined) futimesSync(fd, meta.mtimeMs / 1000, meta.mtimeMs / 1000);
      // Written to the disk now, while the other threads still stage: the syncfs that ends
      // staging then waits only for what is left (measured faster in BENCHMARKS.md).
      fdatasyncSync(fd);
    }
    return { hash: digest, size };
  } finally {
    closeSync(fd);
  }
}

/**
 * Small blobs, several to a message, exactly as the main thread copies one (small-copy.mjs). Lent
 * to a thread that has no big file to copy, so both cores stage small files. Stops at the first
 * failure or mismatch; what follows it in the batch is not attempted.
 */
function copySmallBatch({ jobs }) {
  const outcomes = [];
  for (const job of jobs) {
    try {
      const result = copySmallBlob(job, buffer);
      outcomes.push({ ok: true, result });
      if (result.hash !== job.expected.hash || result.size !== job.expected.size) break;
    } catch (error) {
      outcomes.push(failure(error));
      break;
    }
  }
  return outcomes;
}

/**
 * Files to store for a snapshot, several to a message, each as `store` does: lent to a thread
 * that has no big file to store, so both cores read, hash and write small files. Stops at the
 * first failure; what follows it in the batch is not attempted.
 */
function storeBatch({ jobs }) {
  const outcomes = [];
  for (const job of jobs) {
    try {
      outcomes.push({ ok: true, result: store(job) });
    } catch (error) {
      outcomes.push(failure(error));
      break;
    }
  }
  return outcomes;
}

const failure = (error) => ({ ok: false, message: error.message, code: error.code, path: error.path });

const JOBS = { store, copy, copySmallBatch, storeBatch };

parentPort.on('message', ({ id, kind, job }) => {
  try {
    parentPort.postMessage({ id, ok: true, result: JOBS[kind](job) });
  } catch (error) {
    parentPort.postMessage({ id, ...failure(error) });
  }
});
