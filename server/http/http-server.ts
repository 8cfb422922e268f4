import { createServer, type Server } from 'node:http';
import type { Logger } from '../log';
import { HttpError, sendError, type Router } from './router';

export class PortInUseError extends Error {
  constructor(readonly port: number, variable: string) {
    super(`port ${port} is already in use (${variable}); stop the process that holds it or choose another port`);
    this.name = 'PortInUseError';
  }
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
    if (!isReady()) {
      sendError(res, new HttpError(503, 'starting', 'the worker is starting; retry in a moment', { 'retry-after': '1' }));
      return;
    }
    const fast = router.fastHandler(req.url);
    if (fast) return fast(req, res);
    void router
      .handle(req, res, (error) => log.error({ err: error, method: req.method, path: req.url?.split('?')[0] }, 'request failed'))
      .then((matched) => {
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
