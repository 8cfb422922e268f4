// Opening a file of a snapshot's source for reading, the same way on the main thread (blob-io.ts)
// and on a blob thread (blob-thread.mjs). Plain JavaScript with only node's built-ins, as
// blob-thread.mjs is.
import { closeSync, constants, fstatSync, openSync } from 'node:fs';

/** What a file the walk listed as regular is refused with when it no longer is one. */
export const NOT_REGULAR = 'ENOTREG';

function notRegular(file) {
  const error = new Error(`${file} is no longer a regular file`);
  error.code = NOT_REGULAR;
  error.path = file;
  return error;
}

/**
 * Opens a file the walk listed as regular, as it is now. Whoever can write in the source may
 * swap the file between the walk and this open: a symlink put in its place is not followed
 * (O_NOFOLLOW; else a root worker would store, and later restore under the swapper's ownership,
 * whatever the link names), a FIFO does not block the read (O_NONBLOCK), and anything but a
 * regular file is refused.
 */
export function openSourceFile(file) {
  let fd;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    if (error.code === 'ELOOP') throw notRegular(file);
    throw error;
  }
  try {
    if (!fstatSync(fd).isFile()) throw notRegular(file);
    return fd;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}
