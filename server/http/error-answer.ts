import { AppError, isAppError } from '@/lib/errors';
import { databaseUnavailable, dbErrorMessage, isDatabaseUnavailable } from '../db/db-error';
import type { HealingError } from '../healing';

/** The request an error happened in, for the one log line an unexpected error gets. */
export interface FailedRequest {
  method: string | undefined;
  path: string;
  log: { warn(context: object, message: string): void; error(context: object, message: string): void } | null | undefined;
}

// HealingError predates AppError and lives in the engine's file; its codes are translated here, once.
// It is recognised by name, not by class, so the web app (which never meets one) does not load the engine.
const HEALING_ERROR: Record<HealingError['code'], { code: string; status: number }> = {
  'not-found': { code: 'not_found', status: 404 },
  conflict: { code: 'conflict', status: 409 },
  forbidden: { code: 'forbidden', status: 403 },
  'bad-input': { code: 'bad_input', status: 422 },
};

export function isHealingError(error: unknown): error is HealingError {
  return error instanceof Error && error.name === 'HealingError' && Object.hasOwn(HEALING_ERROR, (error as HealingError).code);
}

/** HealingError as the AppError it answers as. */
export function fromHealingError(error: HealingError): AppError {
  const { code, status } = HEALING_ERROR[error.code];
  return new AppError(code, status, error.message, { cause: error });
}

/**
 * The one mapping from anything a handler throws to the answer both HTTP surfaces send (the
 * worker's router and the web app's apiRoute): an AppError is its own answer and not logged; an
 * unreachable database is a 503 and a warning; anything else is a 500 logged once with its cause,
 * whose message never reaches the client.
 */
export function answerError(error: unknown, request: FailedRequest): AppError {
  if (isAppError(error)) return error;
  if (isHealingError(error)) return fromHealingError(error);
  if (isDatabaseUnavailable(error)) {
    // The spool keeps writes; reads wait for the database: a retry later will do.
    request.log?.warn({ err: dbErrorMessage(error), method: request.method, path: request.path }, 'request needs the database, which cannot be reached');
    return databaseUnavailable();
  }
  request.log?.error({ err: error, method: request.method, path: request.path }, 'request failed');
  return new AppError('internal_error', 500, 'the request could not be completed; the details are in the server log', { cause: error });
}
