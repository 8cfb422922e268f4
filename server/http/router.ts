import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ZodType } from 'zod';
import type { AppError } from '@/lib/errors';
import { describeIssues, HttpError } from '@/lib/http-error';
import { parseJsonBody, refuseUnstorableQuery } from '@/lib/json-body';
import type { Logger } from '../log';
import type { HttpMethod, RouteContract } from '../contracts/route-contract';
import { responseChecksByDefault } from '../env/response-checks';
import { authenticateCaller, type CallerOf, type RouteAuth, type RouteAuthenticators } from './auth';
import { answerError } from './error-answer';
import { decodeParam, parseQuery, parseTarget, readBody, readBodyBytes } from './request-input';

export { HttpError, readBodyBytes };

/** What the server knows of a request before it is routed: its id, and a logger that names it. */
export class RequestScope {
  /** Set by the router when the path holds a credential (a push token) that a log must not. */
  loggedPath: string | undefined;
  private child: Logger | undefined;

  constructor(
    readonly requestId: string,
    private readonly parent: Logger,
  ) {}

  /** Made on first use: most requests never log anything but their access line. */
  get log(): Logger {
    return (this.child ??= this.parent.child({ reqId: this.requestId }));
  }
}

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  /** Echoed as `x-request-id`; the web app sends its own, so one id names a request in both logs. */
  requestId: string;
  /** Bound to `reqId`. */
  readonly log: Logger;
  /** Parses and validates the JSON body; a bad body is a 400/422 naming the field. */
  json<T>(schema: ZodType<T>): Promise<T>;
}

export type { HttpMethod };

/** The context of a declared route: the caller its `auth` admitted, and its parsed body and query. */
export interface RoutedContext<A extends RouteAuth, B, Q> extends RequestContext {
  principal: CallerOf<A>;
  body: B;
  query: Q;
}

/**
 * A route as it is registered: its contract (server/contracts) and the handler attached to it.
 * `auth`, `summary`, `tag` and `response` are required, so a route nobody decided the access or
 * the answer of does not compile. `body` and `query`, when given, are parsed by the router (after
 * `auth`). The handler returns the success body, which the router sends with the declared
 * `status`; a `z.void()` route writes its own answer (or returns nothing for an empty one).
 */
export interface RouteDeclaration<A extends RouteAuth, B = undefined, Q = undefined, R = unknown> extends RouteContract<A, B, Q, R> {
  handler: (ctx: RoutedContext<A, B, Q>) => Promise<R | SerializedJson<R>> | R | SerializedJson<R>;
}

/**
 * A success body the handler has already serialised, e.g. a list shared by many callers and
 * kept as text between them: sent as it is, and checked against `response` like any other.
 */
export class SerializedJson<T> {
  declare readonly describes?: T;
  constructor(readonly text: string) {}
}

/** What the router tells others about a route: its contract, enough to document it, call it or attack it. */
export type RouteDescription = RouteContract;

export interface RouterOptions {
  /**
   * Parse every success body against the route's `response` before sending it, and answer 500
   * (logged, naming the route) when it does not match. On under tests; a production worker trusts
   * its handlers rather than pay a second parse per answer.
   */
  checkResponses?: boolean;
}

interface Route {
  contract: RouteContract;
  method: HttpMethod;
  pattern: RegExp;
  keys: string[];
  /** Whether a parameter is a credential, so the logged path keeps `:token` instead of its value. */
  masked: boolean;
  run: (ctx: RequestContext, authenticators: RouteAuthenticators | null) => Promise<void>;
}

const CREDENTIAL_PARAM = /token|secret|password|key/i;

function loggablePath(route: Route, match: RegExpExecArray): string {
  let index = 0;
  return route.contract.path.replace(/:([a-zA-Z]+)/g, (param, key: string) => {
    const value = match[++index];
    return CREDENTIAL_PARAM.test(key) ? param : value;
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(text);
}

export function sendError(res: ServerResponse, error: AppError): void {
  sendJson(res, error.status, error.toBody(), error.headers);
}

export type FastHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * A synchronous answer to the common case of a declared route, from memory: it returns false
 * to leave the request to the route (a token not cached yet, a refusal, an unusual query), which
 * then answers exactly as it would have. It must answer with one `writeHead` carrying
 * BASE_RESPONSE_HEADERS, like a fast handler.
 */
export type FastLane = (req: IncomingMessage, res: ServerResponse, authenticators: RouteAuthenticators) => boolean;

/** What the server runs before routing: true (or nothing, for a fast route) once it answered. */
export type FastAnswer = (req: IncomingMessage, res: ServerResponse) => boolean | void;

export class Router {
  private routes: Route[] = [];
  private fastRoutes = new Map<string, FastAnswer>();
  private fastContracts: RouteContract[] = [];
  private authenticators: RouteAuthenticators | null = null;
  /** Kept apart: every request on a standby is checked against these before it is forwarded. */
  private standbyLocal: RegExp[] = [];
  private readonly checkResponses: boolean;

  constructor(options: RouterOptions = {}) {
    this.checkResponses = options.checkResponses ?? responseChecksByDefault();
  }

  /**
   * A synchronous handler for one exact path, any method, query ignored: for hot paths like the
   * guard. It is declared as a public GET that a standby answers itself: it decides by the
   * source, not a credential, and is served before anything a standby would forward.
   */
  addFast(contract: RouteContract<'public'> & { method: 'GET' }, handler: FastHandler): this {
    this.fastRoutes.set(contract.path, handler);
    this.fastContracts.push(contract);
    return this;
  }

  /**
   * A fast lane for a route declared with `add` (the same path): tried first, and until the
   * router has its authenticators it leaves every request to the route.
   */
  addFastLane(contract: RouteContract & { method: 'GET' }, lane: FastLane): this {
    this.fastRoutes.set(contract.path, (req, res) => this.authenticators !== null && lane(req, res, this.authenticators));
    return this;
  }

  fastHandler(rawUrl: string | undefined): FastAnswer | undefined {
    if (this.fastRoutes.size === 0 || rawUrl === undefined) return undefined;
    const query = rawUrl.indexOf('?');
    return this.fastRoutes.get(query < 0 ? rawUrl : rawUrl.slice(0, query));
  }

  /** Until this is called, every route but `public` and `push-token` ones is refused. */
  authenticateWith(authenticators: RouteAuthenticators): this {
    this.authenticators = authenticators;
    return this;
  }

  add<A extends RouteAuth, B = undefined, Q = undefined, R = unknown>(route: RouteDeclaration<A, B, Q, R>): this {
    const { handler, ...contract } = route;
    const { method, path, auth, body, query, standby = 'forward' } = contract;
    const keys: string[] = [];
    const pattern = new RegExp(
      `^${path.replace(/:([a-zA-Z]+)/g, (_, key: string) => {
        keys.push(key);
        return '([^/]+)';
      })}$`,
    );
    const run = async (ctx: RequestContext, authenticators: RouteAuthenticators | null) => {
      const principal = await authenticateCaller(auth, ctx, authenticators);
      refuseUnstorableQuery(ctx.url.searchParams);
      const parsedQuery = query ? parseQuery(ctx.url, query) : (undefined as Q);
      const parsedBody = body ? await ctx.json(body) : (undefined as B);
      const answer = await handler(Object.assign(ctx, { principal, body: parsedBody, query: parsedQuery }));
      this.send(ctx, contract as RouteContract, answer);
    };
    if (standby === 'local') this.standbyLocal.push(pattern);
    this.routes.push({ contract: contract as RouteContract, method, pattern, keys, masked: keys.some((key) => CREDENTIAL_PARAM.test(key)), run });
    return this;
  }

  /** Sends what a handler returned with the declared status, after checking it against `response` under tests. */
  private send(ctx: RequestContext, contract: RouteContract, answer: unknown): void {
    if (ctx.res.headersSent) return;
    const serialized = answer instanceof SerializedJson ? answer.text : null;
    if (this.checkResponses) {
      const checked = contract.response.safeParse(serialized === null ? answer : JSON.parse(serialized));
      if (!checked.success) {
        ctx.log.error(
          { route: `${contract.method} ${contract.path}`, issues: describeIssues(checked.error.issues) },
          'handler answered a body its declared response does not describe',
        );
        throw new HttpError(500, 'invalid_response', `${contract.method} ${contract.path} answered a body its declared response does not describe`);
      }
    }
    if (answer === undefined) {
      ctx.res.writeHead(contract.status ?? 204, { 'cache-control': 'no-store' }).end();
      return;
    }
    if (serialized !== null) {
      ctx.res.writeHead(contract.status ?? 200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(serialized);
      return;
    }
    sendJson(ctx.res, contract.status ?? 200, answer);
  }

  /** Every declared route's contract, in registration order. */
  declarations(): RouteDescription[] {
    return [...this.routes.map((route) => route.contract), ...this.fastContracts];
  }

  /** Whether a standby answers this request itself (any method of a path declared `standby: 'local'`). */
  answersOnStandby(rawUrl: string | undefined): boolean {
    if (!rawUrl) return false;
    const query = rawUrl.indexOf('?');
    const path = query < 0 ? rawUrl : rawUrl.slice(0, query);
    return this.standbyLocal.some((pattern) => pattern.test(path));
  }

  /**
   * Returns false when no route matched the path, so the caller can answer 404. Expected
   * failures (AppError) are answers, not log lines; anything else is logged once, with the id.
   */
  async handle(req: IncomingMessage, res: ServerResponse, scope: RequestScope): Promise<boolean> {
    let url: URL;
    try {
      url = parseTarget(req.url);
    } catch (error) {
      sendError(res, error as AppError);
      return true;
    }
    const candidates = this.routes.filter((r) => r.pattern.test(url.pathname));
    if (candidates.length === 0) return false;
    if (candidates[0].masked) scope.loggedPath = loggablePath(candidates[0], candidates[0].pattern.exec(url.pathname)!);
    const route = candidates.find((r) => r.method === req.method);
    try {
      if (!route) throw new HttpError(405, 'method_not_allowed', `${req.method} is not allowed here`, { allow: candidates.map((r) => r.method).join(', ') });
      const match = route.pattern.exec(url.pathname)!;
      const params = Object.fromEntries(route.keys.map((key, i) => [key, decodeParam(match[i + 1])]));
      const ctx: RequestContext = {
        req,
        res,
        url,
        params,
        requestId: scope.requestId,
        get log() {
          return scope.log;
        },
        async json(schema) {
          const parsed = parseJsonBody(await readBody(req));
          const result = schema.safeParse(parsed);
          if (!result.success) throw new HttpError(422, 'invalid_request', describeIssues(result.error.issues));
          return result.data;
        },
      };
      await route.run(ctx, this.authenticators);
    } catch (error) {
      const answer = answerError(error, { method: req.method, path: scope.loggedPath ?? url.pathname, log: scope.log });
      if (!res.headersSent) sendError(res, answer);
    }
    return true;
  }
}
