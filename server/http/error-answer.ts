import { AppError, isAppError } from '@/lib/errors';
import { databaseUnavailable, dbErrorMessage, isDatabaseUnavailable } from '../db/db-error';

/** The request an error happened in, for the one log line an unexpected error gets. */
export interface FailedRequest {
  method: string | undefined;
  path: string;
  log: { warn(context: object, message: string): void; error(context: object, message: string): void } | null | undefined;
}

/**
 * The one mapping from anything a handler throws to the answer both HTTP surfaces send (the
 * worker's router and the web app's apiRoute): an AppError is its own answer and not logged; an
 * unreachable database is a 503 and a warning; anything else is a 500 logged once with its cause,
 * whose message never reaches the client.
 */
export function answerError(error: unknown, request: FailedRequest): AppError {
  if (isAppError(error)) return error;
  if (isDatabaseUnavailable(error)) {
    // The spool keeps writes; reads wait for the database: a retry later will do.
    request.log?.warn({ err: dbErrorMessage(error), method: request.method, path: request.path }, 'request needs the database, which cannot be reached');
    return databaseUnavailable();
  }
  request.log?.error({ err: error, method: request.method, path: request.path }, 'request failed');
  return new AppError('internal_error', 500, 'the request could not be completed; the details are in the server log', { cause: error });
}
