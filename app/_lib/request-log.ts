import { acceptRequestId, REQUEST_ID_HEADER } from '@/lib/request-id';
import type { Logger } from '@/server/log';
import { runWithRequestId } from '@/server/web/request-scope';
import type { WebContext } from './web-context';

// A request that did not come through proxy.ts (a test calling a handler) still has one id.
const madeHere = new WeakMap<Request, string>();

/** The id proxy.ts stamped on this request. */
export function requestIdOf(request: Request): string {
  const stamped = acceptRequestId(request.headers.get(REQUEST_ID_HEADER));
  if (stamped) return stamped;
  let made = madeHere.get(request);
  if (!made) {
    made = crypto.randomUUID();
    madeHere.set(request, made);
  }
  return made;
}

export function requestLogger(web: Pick<WebContext, 'log'>, request: Request): Logger {
  return web.log.child({ reqId: requestIdOf(request) });
}

/** Runs `serve` with the request's id in scope, so whatever it asks of the worker carries that id. */
export function inRequestScope<T>(request: Request, serve: () => Promise<T>): Promise<T> {
  return runWithRequestId(requestIdOf(request), serve);
}

/** The shared context with a logger that names this request. */
export function forRequest(web: WebContext, request: Request): WebContext {
  return { ...web, log: requestLogger(web, request) };
}
