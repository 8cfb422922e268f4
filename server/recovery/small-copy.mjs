// One small blob copied to a new staged file, the same way on the main thread (blob-io.ts) and on
// a lent blob thread (blob-thread.mjs). Plain JavaScript with only node's built-ins, as
// blob-thread.mjs is. Blocking calls: a file under 1 MiB in the page cache takes microseconds.
import { hash } from 'node:crypto';
import { closeSync, fchmodSync, fchownSync, futimesSync, openSync, readSync, writeSync } from 'node:fs';

/**
 * A small blob's content, up to one byte past its expected size (so a longer blob shows as one),
 * read into `buffer`: open, read and close, with no stat for a size the manifest already gives.
 */
function readSmall(blob, expectedSize, buffer) {
  const fd = openSync(blob, 'r');
  try {
    const want = Math.min(expectedSize + 1, buffer.length);
    let size = 0;
    for (;;) {
      const asked = want - size;
      const read = readSync(fd, buffer, size, asked, null);
      size += read;
      // A regular file reads short only at its end: no further call to hear that.
      if (read === 0 || read < asked || size === want) return buffer.subarray(0, size);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads the blob once, hashes it in memory and creates `dest` with its content only if it is
 * intact, owner, mode and times set through the same descriptor. Answers what was read; the
 * caller compares it with what was expected.
 */
export function copySmallBlob({ blob, dest, expected, meta }, buffer) {
  const content = readSmall(blob, expected.size, buffer);
  const digest = hash('sha256', content, 'hex');
  if (digest !== expected.hash || content.length !== expected.size) return { hash: digest, size: content.length };
  const fd = openSync(dest, 'wx', meta.mode);
  try {
    for (let offset = 0; offset < content.length;) offset += writeSync(fd, content, offset);
    if (meta.owner) fchownSync(fd, meta.owner.uid, meta.owner.gid);
    fchmodSync(fd, meta.mode);
    if (meta.mtimeMs !== undefined) futimesSync(fd, meta.mtimeMs / 1000, meta.mtimeMs / 1000);
  } finally {
    closeSync(fd);
  }
  return { hash: digest, size: content.length };
}
