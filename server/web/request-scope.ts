import { AsyncLocalStorage } from 'node:async_hooks';

const scope = new AsyncLocalStorage<string>();

/**
 * Runs `task` with `requestId` as the current request's id, so the worker client can forward
 * it without every route handler passing it to every call.
 */
export function runWithRequestId<T>(requestId: string, task: () => T): T {
  return scope.run(requestId, task);
}

/** The id of the web request being served, if any. */
export function currentRequestId(): string | undefined {
  return scope.getStore();
}
