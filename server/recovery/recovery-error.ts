export type RecoveryErrorCode =
  | 'bad-input'
  | 'not-found'
  | 'exists'
  | 'busy'
  | 'corrupt'
  | 'unsafe-path'
  | 'source-missing'
  | 'hook-failed'
  | 'health-gate-failed'
  | 'interrupted-restore'
  | 'no-space'
  | 'io';

/** An expected failure of a recovery operation: its message is safe to show an operator. */
export class RecoveryError extends Error {
  constructor(
    readonly code: RecoveryErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'RecoveryError';
  }
}

/** Turns the file-system errors an operator can act on into readable ones. */
export function describeIoError(error: unknown, action: string): Error {
  const code = (error as NodeJS.ErrnoException).code;
  const file = (error as NodeJS.ErrnoException).path;
  if (code === 'ENOSPC' || code === 'EDQUOT') return new RecoveryError('no-space', `${action}: no space left on the device${file ? ` (${file})` : ''}`);
  if (code === 'EACCES' || code === 'EPERM') return new RecoveryError('io', `${action}: permission denied${file ? ` on ${file}` : ''}`);
  if (code === 'EROFS') return new RecoveryError('io', `${action}: the file system is read-only`);
  if (error instanceof RecoveryError) return error;
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Runs work that writes to one file system and, when that file system is full, says which one
 * it was: a restore writes to the target and to the store, and the operator must free the right one.
 */
export async function namingFullFilesystem<T>(which: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') throw new RecoveryError('no-space', `no space left on the file system of ${which}`);
    throw error;
  }
}
