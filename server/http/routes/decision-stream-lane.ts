import type { IncomingMessage, ServerResponse } from 'node:http';
import { BASE_RESPONSE_HEADERS } from '@/lib/response-headers';
import { sha256Hex } from '../../auth/keys';
import { defenseContracts } from '../../contracts';
import type { BouncerRegistry, DecisionStream } from '../../defense';
import { scopeRefusal } from '../auth';
import type { FastLane } from '../router';

// Whole and constant, for one writeHead per answer (see BASE_RESPONSE_HEADERS).
const ANSWER_HEADERS = { ...BASE_RESPONSE_HEADERS, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

/** Queries read without decoding: no `%` escapes, no `+`, nothing the route would refuse as unstorable. */
const PLAIN_QUERY = /^[\w.,=&-]*$/;

/**
 * `startup` as the route's query schema reads it (absent is false, the last one counts), or
 * null for a query the lane leaves to the route: escapes, or a value the route answers 422 for.
 * Other parameters (a bouncer's `scopes`, `origins`) are ignored, as the route ignores them.
 */
export function startupOf(url: string): boolean | null {
  const mark = url.indexOf('?');
  if (mark < 0) return false;
  const query = url.slice(mark + 1);
  // What bouncers send, answered without splitting.
  if (query === 'startup=false') return false;
  if (query === 'startup=true') return true;
  if (!PLAIN_QUERY.test(query)) return null;
  let startup = false;
  for (const pair of query.split('&')) {
    if (pair !== 'startup' && !pair.startsWith('startup=')) continue;
    const value = pair.slice('startup='.length);
    if (value !== 'true' && value !== 'false') return null;
    startup = value === 'true';
  }
  return startup;
}

const BEARER = /^Bearer\s+(\S+)$/i;

/** What a pull presents, read from `rawHeaders` in one pass: `req.headers` would build an object of every header. */
interface PullHeaders {
  token: string;
  userAgent: string | undefined;
}

/**
 * The token as the route's token check reads it (Authorization, else X-Api-Key), and the
 * first User-Agent; null when there is none, or when Authorization or X-Api-Key comes twice:
 * how such a request is read is the route's to say.
 */
export function pullHeadersOf(raw: readonly string[]): PullHeaders | null {
  let authorization: string | undefined;
  let apiKey: string | undefined;
  let userAgent: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i];
    if (name.length === 13 && name.toLowerCase() === 'authorization') {
      if (authorization !== undefined) return null;
      authorization = raw[i + 1];
    } else if (name.length === 9 && name.toLowerCase() === 'x-api-key') {
      if (apiKey !== undefined) return null;
      apiKey = raw[i + 1];
    } else if (name.length === 10 && userAgent === undefined && name.toLowerCase() === 'user-agent') userAgent = raw[i + 1];
  }
  const bearer = authorization || (apiKey === undefined ? authorization : `Bearer ${apiKey}`);
  const token = BEARER.exec(bearer ?? '')?.[1];
  return token === undefined ? null : { token, userAgent };
}

/**
 * `GET /api/v1/decisions/stream` for a bouncer whose token the authenticator has a fresh answer
 * for: fifty bouncers pulling every second are mostly this, and each pull then costs one
 * SHA-256 of the key (shared by the token check and the bouncer registry), a lookup in the
 * change log and one write, instead of URL parsing, route matching, promises and an info line.
 * Anything else goes on to the declared route, which answers as before: a key not cached yet
 * (read from the database there), a revoked or narrower one (401/403 in the route's words), an
 * unusual query. Pulls are access lines at debug, as health checks are: they come every second.
 */
export function decisionStreamLane(stream: DecisionStream, registry: BouncerRegistry): FastLane {
  const scope = defenseContracts.decisionStream.auth;
  return (req: IncomingMessage, res: ServerResponse, { tokens }) => {
    if (req.method !== 'GET') return false;
    const startup = startupOf(req.url ?? '');
    if (startup === null) return false;
    const presented = pullHeadersOf(req.rawHeaders);
    if (presented === null) return false;
    const tokenHash = sha256Hex(presented.token);
    const principal = tokens.cachedPrincipal(tokenHash);
    if (!principal || scopeRefusal(principal, scope) !== null) return false;
    const body = stream.pollJson(principal.id, startup);
    res.writeHead(200, ANSWER_HEADERS);
    res.end(body);
    registry.recordServed(tokenHash, req, res, presented.userAgent);
    return true;
  };
}
