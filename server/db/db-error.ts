import { HttpError } from '@/lib/http-error';

/**
 * Prisma's errors carry a rendered code frame of the call; the cause is the last
 * line. Logs and status fields get that line only, capped.
 */
export function dbErrorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const last = lines[lines.length - 1] ?? 'unknown database error';
  return last.length > 300 ? `${last.slice(0, 297)}...` : last;
}

/**
 * Errors that say the database cannot be reached or cannot take writes right now, as
 * opposed to a statement it refused: busy or locked files, a full or read-only disk,
 * refused, reset or ended connections, an exhausted pool, a server shutting down.
 * Matched on codes and the drivers' messages, which is all the adapters pass on.
 */
const UNAVAILABLE = new RegExp(
  [
    'SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|PROTOCOL|NOMEM)',
    'database is locked',
    'database table is locked',
    'disk I/O error',
    'database or disk is full',
    'attempt to write a readonly database',
    'unable to open database',
    'connection is not open',
    'ECONNREFUSED',
    'ECONNRESET',
    'ETIMEDOUT',
    'EPIPE',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'ENOTFOUND',
    'EAI_AGAIN',
    'P1001',
    'P1002',
    'P1008',
    'P1017',
    'P2024',
    "Can't reach database",
    'Connection terminated',
    'terminating connection',
    'server closed the connection',
    'Connection refused',
    'timeout exceeded when trying to connect',
    'the database system is',
    'too many clients',
    'does not exist',
    'is not currently accepting connections',
    'Timed out fetching a new connection',
    'Client has encountered a connection error',
    '\\b08[0-9A-Z]{3}\\b',
    '\\b57P0[1-4]\\b',
    '\\b53[0-9]{3}\\b',
    '\\b3D000\\b',
  ].join('|'),
);

export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let e: unknown = error; e && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    const { message, code, meta } = e as { message?: unknown; code?: unknown; meta?: unknown };
    if (UNAVAILABLE.test(`${String(code ?? '')} ${String(message ?? '')} ${meta ? JSON.stringify(meta) : ''}`)) return true;
  }
  return false;
}

/**
 * What a request that needed the database answers while it cannot be reached: the client did
 * nothing wrong and may retry, so an outage is a 503, neither a server fault (500) nor a refusal.
 */
export function databaseUnavailable(what = 'the database cannot be reached'): HttpError {
  return new HttpError(503, 'database_unavailable', `${what}; retry later`, { 'retry-after': '5' });
}
