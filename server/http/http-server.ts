import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { acceptRequestId, REQUEST_ID_HEADER } from '@/lib/request-id';
import type { Logger } from '../log';
import { HttpError, RequestScope, sendError, type FastHandler, type Router } from './router';

export class PortInUseError extends Error {
  constructor(readonly port: number, variable: string) {
    super(`port ${port} is already in use (${variable}); stop the process that holds it or choose another port`);
    this.name = 'PortInUseError';
  }
}

// Polled by load balancers and Prometheus: at info they would drown everything else.
const QUIET_PATHS = new Set(['/healthz', '/metrics']);

type AccessLevel = 'info' | 'debug';

const pathOf = (url: string | undefined): string => {
  const raw = url ?? '/';
  const query = raw.indexOf('?');
  // The query string is never logged: a caller may have put a token in it.
  return query < 0 ? raw : raw.slice(0, query);
};

function logAccess(log: Logger, level: AccessLevel, line: { reqId: string; req: IncomingMessage; res: ServerResponse; path: string; startedAt: number }): void {
  const { reqId, req, res, path, startedAt } = line;
  const ms = Math.round((performance.now() - startedAt) * 100) / 100;
  log[level]({ reqId, method: req.method, path, status: res.statusCode, ms, ...(res.writableFinished ? {} : { aborted: true }) }, 'request completed');
}

/**
 * The guard answers every request a reverse proxy lets through, at tens of thousands a
 * second, so this allocates nothing it does not need: an id that came with the request is
 * echoed (nginx's $request_id then ties the proxy's log to ours), and an id is made only
 * when debug access lines are on. Without them no line would carry it, and a proxy passes
 * the guard's headers to its client only when configured to.
 */
function serveFast(handler: FastHandler, req: IncomingMessage, res: ServerResponse, log: Logger): void {
  const incoming = acceptRequestId(req.headers[REQUEST_ID_HEADER]);
  if (!log.isLevelEnabled('debug')) {
    if (incoming) res.setHeader(REQUEST_ID_HEADER, incoming);
    handler(req, res);
    return;
  }
  const reqId = incoming ?? randomUUID();
  res.setHeader(REQUEST_ID_HEADER, reqId);
  const startedAt = performance.now();
  // Fast handlers answer synchronously, so the status is known on return.
  handler(req, res);
  logAccess(log, 'debug', { reqId, req, res, path: pathOf(req.url), startedAt });
}

/** Every routed request gets an id (the caller's when sane), echoed back and on its access line. */
function openRequest(req: IncomingMessage, res: ServerResponse, log: Logger): RequestScope {
  const scope = new RequestScope(acceptRequestId(req.headers[REQUEST_ID_HEADER]) ?? randomUUID(), log);
  res.setHeader(REQUEST_ID_HEADER, scope.requestId);
  const path = pathOf(req.url);
  const level: AccessLevel = QUIET_PATHS.has(path) ? 'debug' : 'info';
  if (log.isLevelEnabled(level)) {
    const startedAt = performance.now();
    // 'close' rather than 'finish': a client that hung up still gets its line, marked aborted.
    res.once('close', () => logAccess(log, level, { reqId: scope.requestId, req, res, path: scope.loggedPath ?? path, startedAt }));
  }
  return scope;
}

/**
 * Socket.io attaches its own request listener for /socket.io/ to the same server.
 * Until `isReady()`, every request gets a 503 that says the worker is starting, so
 * nothing half-initialised answers (and /healthz never reports a score it lacks).
 */
export function createHttpServer(router: Router, log: Logger, isReady: () => boolean = () => true): Server {
  return createServer((req, res) => {
    if (req.url?.startsWith('/socket.io/')) return;
    res.setHeader('x-content-type-options', 'nosniff');
    const ready = isReady();
    const fast = ready ? router.fastHandler(req.url) : undefined;
    if (fast) return serveFast(fast, req, res, log);
    const scope = openRequest(req, res, log);
    if (!ready) {
      sendError(res, new HttpError(503, 'starting', 'the worker is starting; retry in a moment', { 'retry-after': '1' }));
      return;
    }
    void router.handle(req, res, scope).then((matched) => {
      if (!matched) sendError(res, new HttpError(404, 'not_found', 'no such endpoint'));
    });
  });
}

export function listen(server: Server, port: number, host: string, variable = 'WORKER_PORT'): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, variable) : error);
    };
    const onListening = () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}
