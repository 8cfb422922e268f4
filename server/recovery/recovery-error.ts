import { AppError } from '@/lib/errors';

export type RecoveryErrorCode =
  | 'bad_input'
  | 'not_found'
  | 'exists'
  | 'busy'
  | 'corrupt'
  | 'unsafe_path'
  | 'source_missing'
  | 'hook_failed'
  | 'health_gate_failed'
  | 'interrupted_restore'
  | 'no_space'
  | 'io'
  | 'offsite_unavailable'
  | 'offsite_password'
  | 'offsite_unreachable'
  | 'offsite_full'
  | 'offsite_failed';

/** What each failure answers over HTTP: hooks and the health gate are the restored service's fault (502). */
export const RECOVERY_ERROR_STATUS: Record<RecoveryErrorCode, number> = {
  bad_input: 422,
  not_found: 404,
  exists: 409,
  busy: 409,
  interrupted_restore: 409,
  corrupt: 409,
  unsafe_path: 422,
  source_missing: 422,
  hook_failed: 502,
  health_gate_failed: 502,
  no_space: 507,
  io: 500,
  // restic is missing, or the repository answered with a failure: neither is the caller's fault.
  offsite_unavailable: 503,
  offsite_password: 502,
  offsite_unreachable: 502,
  offsite_full: 507,
  offsite_failed: 502,
};

/** An expected failure of a recovery operation: its message is safe to show an operator. */
export class RecoveryError extends AppError {
  declare readonly code: RecoveryErrorCode;

  constructor(
    code: RecoveryErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(code, RECOVERY_ERROR_STATUS[code], message);
    this.name = 'RecoveryError';
  }
}

/** Turns the file-system errors an operator can act on into readable ones. */
export function describeIoError(error: unknown, action: string): Error {
  const code = (error as NodeJS.ErrnoException).code;
  const file = (error as NodeJS.ErrnoException).path;
  if (code === 'ENOSPC' || code === 'EDQUOT') return new RecoveryError('no_space', `${action}: no space left on the device${file ? ` (${file})` : ''}`);
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
    if (code === 'ENOSPC' || code === 'EDQUOT') throw new RecoveryError('no_space', `no space left on the file system of ${which}`);
    throw error;
  }
}
