import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { rawHeader } from '@/lib/net/raw-headers';
import { acceptRequestId, REQUEST_ID_HEADER } from '@/lib/request-id';
import type { Logger } from '../log';
import type { FastAnswer } from './router';

/** The access line both paths write: never the query string, which may hold a token. */
export function logAccess(
  log: Logger,
  level: 'info' | 'debug',
  line: { reqId: string; req: IncomingMessage; res: ServerResponse; path: string; startedAt: number },
): void {
  const { reqId, req, res, path, startedAt } = line;
  const ms = Math.round((performance.now() - startedAt) * 100) / 100;
  log[level]({ reqId, method: req.method, path, status: res.statusCode, ms, ...(res.writableFinished ? {} : { aborted: true }) }, 'request completed');
}

export const pathOf = (url: string | undefined): string => {
  const raw = url ?? '/';
  const query = raw.indexOf('?');
  // The query string is never logged: a caller may have put a token in it.
  return query < 0 ? raw : raw.slice(0, query);
};

/**
 * A fast handler answers synchronously with one `writeHead` that includes BASE_RESPONSE_HEADERS;
 * a fast lane does the same or returns false, and the request goes on to the router.
 *
 * The guard answers every request a reverse proxy lets through, at tens of thousands a
 * second, so this allocates nothing it does not need: an id that came with the request is
 * echoed (nginx's $request_id then ties the proxy's log to ours), and an id is made only
 * when debug access lines are on. Without them no line would carry it, and a proxy passes
 * the guard's headers to its client only when configured to.
 */
export function serveFast(handler: FastAnswer, req: IncomingMessage, res: ServerResponse, log: Logger): boolean {
  // From rawHeaders: reading req.headers would build the whole header object for one value.
  const incoming = acceptRequestId(rawHeader(req.rawHeaders, REQUEST_ID_HEADER));
  if (!log.isLevelEnabled('debug')) {
    if (incoming) res.setHeader(REQUEST_ID_HEADER, incoming);
    return handler(req, res) !== false;
  }
  const reqId = incoming ?? randomUUID();
  res.setHeader(REQUEST_ID_HEADER, reqId);
  const startedAt = performance.now();
  // Fast handlers answer synchronously, so the status is known on return; a lane that left the
  // request to its route gets its line from the router.
  if (handler(req, res) === false) return false;
  logAccess(log, 'debug', { reqId, req, res, path: pathOf(req.url), startedAt });
  return true;
}
