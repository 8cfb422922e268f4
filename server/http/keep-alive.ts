import type { Server } from 'node:http';

/**
 * How long an idle kept-alive connection stays open on Vigil's HTTP servers.
 *
 * Node closes one after 5 s. A client that keeps it about as long (undici, Node's own fetch:
 * the server's `Keep-Alive: timeout=5` hint minus 1 s; its timer fires late on a loaded
 * machine) can send a request just as the server closes the socket, and gets `ECONNRESET` for a
 * request the server never saw. The proxy in front must be the one that closes: nginx keeps
 * upstream connections 60 s (`keepalive_timeout`), load balancers commonly 60 s, so 65 s. A
 * client that follows the hint now keeps 64 s, so the same crossing needs 64 s of idleness
 * instead of 4.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/**
 * Above the keep-alive, as Node advises: the headers timer must never cut a kept-alive
 * connection before its keep-alive has run out (Node versions before 18 counted it from the
 * connection's previous request).
 */
export const HEADERS_TIMEOUT_MS = KEEP_ALIVE_TIMEOUT_MS + 1000;

export function applyKeepAlive(server: Server): Server {
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  return server;
}
