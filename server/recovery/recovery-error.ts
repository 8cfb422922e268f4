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
