import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { acceptRequestId, REQUEST_ID_HEADER } from '@/lib/request-id';
import { BASE_RESPONSE_HEADERS } from '@/lib/response-headers';
import type { Logger } from '../log';
import { logAccess, pathOf, serveFast } from './fast-path';
import { applyKeepAlive } from './keep-alive';
import { HttpError, RequestScope, sendError, type Router } from './router';

export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    variable: string,
  ) {
    super(`port ${port} is already in use (${variable}); stop the process that holds it or choose another port`);
    this.name = 'PortInUseError';
  }
}

// Polled by load balancers and Prometheus: at info they would drown everything else.
const QUIET_PATHS = new Set(['/healthz', '/metrics']);

type AccessLevel = 'info' | 'debug';

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
 * nothing half-initialised answers (and /healthz never reports a score it lacks); once
 * `isStopping()`, a 503 that says it is stopping, so a load balancer or a supervisor sends
 * nothing more to a worker whose capabilities (the fleet's hub first) are going away.
 * The fast paths (the guard's checks) keep answering until the port closes.
 */
export function createHttpServer(router: Router, log: Logger, isReady: () => boolean = () => true, isStopping: () => boolean = () => false): Server {
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/socket.io/')) return;
    const ready = isReady();
    // Before any header is set: a fast handler sends the base headers with its own, in one go.
    const fast = ready ? router.fastHandler(req.url) : undefined;
    if (fast && serveFast(fast, req, res, log)) return;
    for (const [name, value] of Object.entries(BASE_RESPONSE_HEADERS)) res.setHeader(name, value);
    const scope = openRequest(req, res, log);
    if (!ready) {
      sendError(res, new HttpError(503, 'starting', 'the worker is starting; retry in a moment', { 'retry-after': '1' }));
      return;
    }
    if (isStopping()) {
      sendError(res, new HttpError(503, 'stopping', 'the worker is stopping; retry in a moment', { 'retry-after': '1' }));
      return;
    }
    void router.handle(req, res, scope).then((matched) => {
      if (!matched) sendError(res, new HttpError(404, 'not_found', 'no such endpoint'));
    });
  });
  // Node drops the headers after its 2000th: a client could push its proxy's X-Forwarded-For out of
  // sight with 2000 tiny ones and be taken for the proxy. The head's 16 KiB bound them anyway.
  server.maxHeadersCount = 0;
  return applyKeepAlive(server);
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
