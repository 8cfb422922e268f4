import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import { HttpError, readBodyBytes, sendError } from '../http/router';

/** Set on a forwarded request: a replica that is not the leader either never forwards it again. */
export const FORWARDED_BY_HEADER = 'x-vigil-forwarded-by';

/** Forwarded requests in flight at once; past it a standby answers 503 rather than queue without bound. */
const MAX_IN_FLIGHT = 256;
const CONNECT_TIMEOUT_MS = 3000;
/** Restores answer only when done (progress goes over the socket): the web app waits 30 minutes. */
const ANSWER_TIMEOUT_MS = 31 * 60_000;

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
]);

/** Hop-by-hop headers, and any the Connection header names, never cross the proxy. */
function endToEnd(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const named = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
  );
  const copy: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP_BY_HOP.has(name) && !named.has(name)) copy[name] = value;
  return copy;
}

function refuse(res: ServerResponse, error: HttpError): void {
  if (!res.headersSent) sendError(res, error);
  else res.destroy();
}

const noLeader = (message: string) => new HttpError(503, 'no_leader', message, { 'retry-after': '2' });

const agents = { 'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }), 'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }) };
let inFlight = 0;

/**
 * A standby hands what only the leader may do (probes, restarts, restores, decisions) to the
 * leader: same method, path, end-to-end headers and body. Only an origin-form path is
 * forwarded, to the configured leader origin and nowhere else. The client's address travels
 * in X-Forwarded-For, which the leader believes from its trusted proxies (loopback by default).
 */
export async function forwardToLeader(req: IncomingMessage, res: ServerResponse, options: { leaderUrl: string | null; nodeId: string }): Promise<void> {
  const path = req.url ?? '';
  // "//host/x" and "http://host/x" would replace the leader's address: never forwarded.
  if (!path.startsWith('/') || path.startsWith('//')) return refuse(res, new HttpError(400, 'bad_request_target', 'the request target must be a path'));
  if (req.headers[FORWARDED_BY_HEADER]) return refuse(res, noLeader('leadership is changing; retry in a moment'));
  if (!options.leaderUrl) return refuse(res, noLeader('no leader is elected yet; retry in a moment'));
  if (inFlight >= MAX_IN_FLIGHT)
    return refuse(res, new HttpError(503, 'busy', 'too many requests are waiting for the leader; retry in a moment', { 'retry-after': '1' }));
  inFlight++;
  try {
    // The whole body first, under the worker's own limit: the upstream request is then framed by
    // its length alone, so no body can smuggle a second request.
    const body = await readBodyBytes(req);
    const leader = new URL(options.leaderUrl);
    const headers = endToEnd(req.headers);
    delete headers['content-length'];
    headers[FORWARDED_BY_HEADER] = options.nodeId;
    const peer = req.socket.remoteAddress;
    if (peer) headers['x-forwarded-for'] = req.headers['x-forwarded-for'] ? `${String(req.headers['x-forwarded-for'])}, ${peer}` : peer;
    if (body.length > 0 || !['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(req.method ?? '')) headers['content-length'] = body.length;
    await new Promise<void>((resolve) => {
      const client = leader.protocol === 'https:' ? https : http;
      const upstream = client.request({
        protocol: leader.protocol,
        hostname: leader.hostname,
        port: leader.port,
        path,
        method: req.method,
        headers,
        agent: agents[leader.protocol as 'http:' | 'https:'],
        timeout: ANSWER_TIMEOUT_MS,
      });
      const connectTimer = setTimeout(() => upstream.destroy(new Error('connect timeout')), CONNECT_TIMEOUT_MS);
      upstream.on('socket', (socket) => {
        if (!socket.connecting) clearTimeout(connectTimer);
        else socket.once('connect', () => clearTimeout(connectTimer));
      });
      upstream.on('timeout', () => upstream.destroy(new Error('the leader took too long')));
      upstream.on('response', (answer) => {
        clearTimeout(connectTimer);
        res.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers));
        answer.pipe(res);
        answer.on('error', () => res.destroy());
        answer.on('aborted', () => res.destroy());
        answer.on('end', resolve);
      });
      upstream.on('error', () => {
        clearTimeout(connectTimer);
        refuse(res, noLeader('the leader did not answer; retry in a moment'));
        resolve();
      });
      // A client that hangs up stops the work it asked for from holding a connection to the leader.
      res.on('close', () => {
        if (!res.writableFinished) upstream.destroy();
        resolve();
      });
      upstream.end(body);
    });
  } catch (error) {
    refuse(res, error instanceof HttpError ? error : noLeader('the request could not be forwarded'));
  } finally {
    inFlight--;
  }
}
