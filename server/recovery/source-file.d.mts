/** The code of the error a source file that is no longer a regular file is refused with. */
export const NOT_REGULAR: 'ENOTREG';

/** Opens a file the walk listed as regular, without following a symlink or waiting on a FIFO; answers its descriptor. */
export function openSourceFile(file: string): number;
