import type { ZodType } from 'zod';
import type { RouteAuth } from '../http/auth';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One worker endpoint, declared once and imported by both sides: the worker's router attaches the
 * handler to it (`router.add({ ...contract, handler })`), the web app's worker client calls it, and
 * the OpenAPI document is generated from it.
 *
 * `response` is the success body. A route that answers without a JSON body (a 204, Prometheus
 * text, a stream the handler writes itself) declares `z.void()`: the router then sends nothing
 * for it, and the document shows no JSON content.
 */
export interface RouteContract<A extends RouteAuth = RouteAuth, B = unknown, Q = unknown, R = unknown> {
  method: HttpMethod;
  /** `:name` segments are path parameters (`/internal/v1/healing/modules/:name/logs`). */
  path: string;
  /** Who may call it; the router checks it before anything else. See server/http/auth.ts. */
  auth: A;
  /** One line for the API page and the OpenAPI operation. */
  summary: string;
  /** The group it is listed under in the document. */
  tag: string;
  /** What the summary leaves out, in prose. */
  description?: string;
  /**
   * What a standby replica does with it: `forward` (the default) sends it to the leader, which
   * owns what it acts on; `local` answers it from the standby's own state or the shared database.
   */
  standby?: 'local' | 'forward';
  /** The success status; 200 unless said. */
  status?: number;
  body?: ZodType<B>;
  query?: ZodType<Q>;
  response: ZodType<R>;
  /** What a `z.void()` route writes instead of JSON (Prometheus text), for the document. */
  contentType?: string;
}

/** `{ name: string }` for `/modules/:name/logs`: the parameters a caller must fill in. */
export type PathParams<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? { [K in Name]: string } & PathParams<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? { [K in Name]: string }
    : Record<never, never>;

/** Keeps a contract's literal types (method, path, auth, schemas) for the handler and the caller. */
export function defineRoute<const C extends RouteContract>(contract: C): C {
  return contract;
}
