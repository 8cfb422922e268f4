import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { readForwardedHeaders, type ForwardedHeaders } from '@/lib/net/raw-headers';
import { BASE_RESPONSE_HEADERS } from '@/lib/response-headers';
import type { GuardVerdict } from './defense-service';
import type { SourceResolver } from './source-resolver';

/** What a check answers: the verdict, or `failed` when the check itself threw. */
export type GuardAnswer = GuardVerdict | 'failed';

// Whole and constant, for one writeHead per answer (see BASE_RESPONSE_HEADERS).
const PASS = { ...BASE_RESPONSE_HEADERS, 'cache-control': 'no-store' };

/**
 * The status and headers of each answer, shared by the worker's route and the guard process's own
 * HTTP server, so a proxy sees the same answer from either.
 */
export const GUARD_ANSWERS: Readonly<Record<GuardAnswer, { readonly status: number; readonly headers: OutgoingHttpHeaders }>> = {
  pass: { status: 204, headers: PASS },
  isolated: { status: 403, headers: { ...PASS, 'x-vigil-decision': 'isolated' } },
  lockdown: { status: 403, headers: { ...PASS, 'x-vigil-decision': 'lockdown' } },
  failed: { status: 500, headers: PASS },
};

// One per process: a check runs synchronously from reading the headers to the answer.
const forwarded: ForwardedHeaders = { forwardedFor: undefined, realIp: undefined, forwardedUri: undefined, originalUri: undefined };

/** What answers a check: the worker's DefenseService, or the dedicated guard process's copy of its state. */
export interface GuardChecker {
  readonly resolver: SourceResolver;
  check(source: string, path: string | undefined): GuardVerdict;
}

/** Where a failed check is reported: the worker's logger, or the guard process's line on stderr. */
export interface GuardLog {
  error(fields: { err: string }, msg: string): void;
}

/**
 * From the peer's address and the forwarded headers to the answer: the client resolved through the
 * trusted proxies, the path from the forwarded URI without its query. Never throws.
 */
export function createGuardCheck(defense: GuardChecker, log: GuardLog): (remoteAddress: string, headers: ForwardedHeaders) => GuardAnswer {
  let failures = 0;
  return (remoteAddress, headers) => {
    try {
      const source = defense.resolver.resolve(remoteAddress, headers.forwardedFor, headers.realIp);
      const uri = headers.forwardedUri ?? headers.originalUri;
      const query = uri?.indexOf('?') ?? -1;
      const path = uri === undefined ? undefined : (query >= 0 ? uri.slice(0, query) : uri).slice(0, 2000);
      return defense.check(source, path);
    } catch (error) {
      // Logged once per burst: a fault here would otherwise flood the log at proxy rate.
      if (failures++ % 10_000 === 0) log.error({ err: (error as Error).message }, 'guard check failed');
      return 'failed';
    }
  };
}

/**
 * `GET /guard/check` for nginx auth_request, Traefik forwardAuth and Caddy forward_auth
 * (any method: nginx sends the original one). It bypasses the router: no URL object, no
 * body, no promise, only memory lookups, because every proxied request waits on it.
 */
export function createGuardHandler(defense: GuardChecker, log: GuardLog): (req: IncomingMessage, res: ServerResponse) => void {
  const check = createGuardCheck(defense, log);
  return (req, res) => {
    // From rawHeaders: req.headers would build an object of every header for four of them.
    const answer = GUARD_ANSWERS[check(req.socket.remoteAddress ?? '', readForwardedHeaders(req.rawHeaders, forwarded))];
    res.writeHead(answer.status, answer.headers);
    res.end();
  };
}
