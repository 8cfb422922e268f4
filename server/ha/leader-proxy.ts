import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { HttpError, sendError } from '../http/router';

/** Set on a forwarded request: a replica that is not the leader either never forwards it again. */
export const FORWARDED_BY_HEADER = 'x-vigil-forwarded-by';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host']);

function withoutHopByHop(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const copy: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) copy[name] = value;
  return copy;
}

function noLeader(res: ServerResponse, message: string): void {
  sendError(res, new HttpError(503, 'no_leader', message, { 'retry-after': '2' }));
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/**
 * A standby hands what only the leader may do (probes, restarts, restores, decisions) to
 * the leader, as a plain reverse proxy: same method, path, headers and body, streamed both
 * ways. The client's address travels in X-Forwarded-For, which the leader trusts from its
 * trusted proxies (loopback by default).
 */
export function forwardToLeader(req: IncomingMessage, res: ServerResponse, options: { leaderUrl: string | null; nodeId: string }): void {
  if (req.headers[FORWARDED_BY_HEADER]) return noLeader(res, 'leadership is changing; retry in a moment');
  if (!options.leaderUrl) return noLeader(res, 'no leader is elected yet; retry in a moment');
  const headers = withoutHopByHop(req.headers);
  headers[FORWARDED_BY_HEADER] = options.nodeId;
  const peer = req.socket.remoteAddress;
  if (peer) headers['x-forwarded-for'] = req.headers['x-forwarded-for'] ? `${String(req.headers['x-forwarded-for'])}, ${peer}` : peer;
  const upstream = http.request(new URL(req.url ?? '/', options.leaderUrl), { method: req.method, headers, agent });
  upstream.on('response', (answer) => {
    res.writeHead(answer.statusCode ?? 502, withoutHopByHop(answer.headers));
    answer.pipe(res);
  });
  upstream.on('error', () => {
    if (!res.headersSent) noLeader(res, 'the leader did not answer; retry in a moment');
    else res.destroy();
  });
  req.pipe(upstream);
}
