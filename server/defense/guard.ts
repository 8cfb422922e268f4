import type { IncomingMessage, ServerResponse } from 'node:http';
import { readForwardedHeaders, type ForwardedHeaders } from '@/lib/net/raw-headers';
import { BASE_RESPONSE_HEADERS } from '@/lib/response-headers';
import type { GuardVerdict } from './defense-service';
import type { SourceResolver } from './source-resolver';

// Whole and constant, for one writeHead per answer (see BASE_RESPONSE_HEADERS).
const PASS = { ...BASE_RESPONSE_HEADERS, 'cache-control': 'no-store' };
const DENY_ISOLATED = { ...PASS, 'x-vigil-decision': 'isolated' };
const DENY_LOCKDOWN = { ...PASS, 'x-vigil-decision': 'lockdown' };

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
 * `GET /guard/check` for nginx auth_request, Traefik forwardAuth and Caddy forward_auth
 * (any method: nginx sends the original one). It bypasses the router: no URL object, no
 * body, no promise, only memory lookups, because every proxied request waits on it.
 */
export function createGuardHandler(defense: GuardChecker, log: GuardLog): (req: IncomingMessage, res: ServerResponse) => void {
  let failures = 0;
  return (req, res) => {
    try {
      // From rawHeaders: req.headers would build an object of every header for four of them.
      const headers = readForwardedHeaders(req.rawHeaders, forwarded);
      const source = defense.resolver.resolve(req.socket.remoteAddress ?? '', headers.forwardedFor, headers.realIp);
      const uri = headers.forwardedUri ?? headers.originalUri;
      const query = uri?.indexOf('?') ?? -1;
      const path = uri === undefined ? undefined : (query >= 0 ? uri.slice(0, query) : uri).slice(0, 2000);
      const verdict = defense.check(source, path);
      res.writeHead(verdict === 'pass' ? 204 : 403, verdict === 'pass' ? PASS : verdict === 'isolated' ? DENY_ISOLATED : DENY_LOCKDOWN);
      res.end();
    } catch (error) {
      // Logged once per burst: a fault here would otherwise flood the log at proxy rate.
      if (failures++ % 10_000 === 0) log.error({ err: (error as Error).message }, 'guard check failed');
      res.writeHead(500, PASS);
      res.end();
    }
  };
}
