import type { z, ZodType } from 'zod';
import { describeIssues, HttpError } from '@/lib/http-error';
import { REQUEST_ID_HEADER } from '@/lib/request-id';
import type { PathParams, RouteContract } from '../contracts';
import { internalToken } from '../auth/keys';
import { currentRequestId } from './request-scope';

/** Seconds a browser or script should wait before asking again while the worker is away. */
export const WORKER_RETRY_AFTER_SECONDS = '2';

/** The worker is away: an expected failure the web API answers as 503 with Retry-After. */
export class WorkerUnavailableError extends HttpError {
  constructor(cause: string) {
    super(503, 'worker_unavailable', `the worker is not reachable (${cause})`, { 'retry-after': WORKER_RETRY_AFTER_SECONDS });
    this.name = 'WorkerUnavailableError';
  }
}

/** The worker refused (4xx, or its own 5xx): passed on to the caller with the worker's status and code. */
export class WorkerRejectedError extends HttpError {
  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(status, code, message, headers);
    this.name = 'WorkerRejectedError';
  }
}

/**
 * The worker answered a success its contract does not describe (another version, a proxy's page):
 * a bad gateway, never a value handed on as if it were the declared one.
 */
export class WorkerBadResponseError extends HttpError {
  constructor(route: string, problem: string) {
    super(502, 'worker_bad_response', `the worker's answer to ${route} is not what it declares (${problem})`);
    this.name = 'WorkerBadResponseError';
  }
}

type Input<S> = S extends ZodType ? z.input<S> : never;

/** What a call to a contract takes: its path parameters, query and body, each only when it has them. */
export type CallInput<C extends RouteContract> = (keyof PathParams<C['path']> extends never ? { params?: undefined } : { params: PathParams<C['path']> }) &
  (undefined extends C['body'] ? { body?: Input<NonNullable<C['body']>> } : { body: Input<C['body']> }) &
  (undefined extends C['query'] ? { query?: Input<NonNullable<C['query']>> } : { query: Input<C['query']> });

/** What a call to a contract answers: its response, as the schema parsed it. */
export type CallResult<C extends RouteContract> = z.output<C['response']>;

function fillPath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/:([a-zA-Z]+)/g, (_, key: string) => encodeURIComponent(params[key]));
}

function queryString(query: Record<string, unknown> | undefined): string {
  const entries = Object.entries(query ?? {}).filter(([, value]) => value !== undefined);
  return entries.length ? `?${new URLSearchParams(entries.map(([key, value]) => [key, String(value)]))}` : '';
}

const isVoid = (schema: ZodType) => (schema as { def?: { type?: string } }).def?.type === 'void';

/**
 * One call to a worker endpoint by its contract: the path, method and body come from the
 * declaration the worker registered, and the success body is parsed with its response schema.
 */
export async function callWorker<C extends RouteContract>(
  target: { baseUrl: string; secret: string; timeoutMs: number },
  contract: C,
  input: CallInput<C>,
): Promise<CallResult<C>> {
  const route = `${contract.method} ${contract.path}`;
  const { params, query, body } = input as { params?: Record<string, string>; query?: Record<string, unknown>; body?: unknown };
  const requestId = currentRequestId();
  let response: Response;
  try {
    response = await fetch(new URL(fillPath(contract.path, params) + queryString(query), target.baseUrl), {
      method: contract.method,
      headers: {
        authorization: `Bearer ${internalToken(target.secret)}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        // The worker logs under the same id as the web request that asked.
        ...(requestId ? { [REQUEST_ID_HEADER]: requestId } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(target.timeoutMs),
      cache: 'no-store',
    });
  } catch (error) {
    throw new WorkerUnavailableError(
      (error as Error).name === 'TimeoutError' ? 'timed out' : ((error as { cause?: { code?: string } }).cause?.code ?? 'connection failed'),
    );
  }
  let payload: unknown;
  try {
    payload = response.status === 204 || (response.ok && isVoid(contract.response)) ? undefined : await response.json();
  } catch (error) {
    if (response.ok) {
      // A 200 whose body cannot be read is not an answer: never mistake it for "nothing yet".
      throw new WorkerUnavailableError((error as Error).name === 'TimeoutError' ? 'timed out' : 'unreadable response');
    }
    payload = null;
  }
  if (!response.ok) {
    const error = (payload as { error?: { code: string; message: string } } | null)?.error;
    const retryAfter = response.headers.get('retry-after');
    throw new WorkerRejectedError(
      response.status,
      error?.code ?? 'worker_error',
      error?.message ?? `worker answered ${response.status}`,
      retryAfter ? { 'retry-after': retryAfter } : {},
    );
  }
  const parsed = contract.response.safeParse(payload);
  if (!parsed.success) throw new WorkerBadResponseError(route, describeIssues(parsed.error.issues));
  return parsed.data as CallResult<C>;
}
