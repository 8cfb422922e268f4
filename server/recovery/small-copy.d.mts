import type { HashedContent } from './blob-io';
import type { SmallCopy } from './blob-threads';

/** Copies one small blob to the new file `dest` if it hashes as expected; answers what was read. `buffer` holds at least the blob and a byte. */
export function copySmallBlob(job: SmallCopy, buffer: Buffer): HashedContent;
