// Child process for bench/healing-http-2000.ts and bench/monitors-scale.ts: the probed targets,
// apart from the engine so the engine's CPU time is its own. `PORTS` listeners on 127.0.0.1, each
// answering 200 on any path; prints "ready <ports as JSON>" once all listen.
//
// With RECORD_INTERVAL (seconds) they also note when each path was asked, and
// `GET /__drift?since=<ms epoch>` answers how far each path's consecutive requests after `since`
// stray from that interval, and how many requests came: drift seen from the target's side,
// independent of what the worker says about itself.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const PORTS = Number(process.env.PORTS ?? 50);
const RECORD_MS = process.env.RECORD_INTERVAL ? Number(process.env.RECORD_INTERVAL) * 1000 : null;
const arrivals = new Map<string, number[]>();

function driftSince(intervalMs: number, since: number): { drifts: number[]; requests: number } {
  const drifts: number[] = [];
  let requests = 0;
  for (const times of arrivals.values()) {
    const recent = times.filter((t) => t >= since);
    requests += recent.length;
    for (let i = 1; i < recent.length; i++) drifts.push(Math.abs(recent[i] - recent[i - 1] - intervalMs));
  }
  return { drifts, requests };
}

function answer(req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = req.url ?? '/';
  if (RECORD_MS !== null) {
    if (url.startsWith('/__drift')) {
      const since = Number(new URL(url, 'http://targets').searchParams.get('since') ?? 0);
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(driftSince(RECORD_MS, since)));
    }
    let times = arrivals.get(url);
    if (!times) arrivals.set(url, (times = []));
    times.push(Date.now());
  }
  res.writeHead(200, { 'content-type': 'text/plain' }).end(`ok ${url}`);
}

const servers = await Promise.all(
  Array.from(
    { length: PORTS },
    () =>
      new Promise<http.Server>((resolve) => {
        const server = http.createServer(answer);
        server.keepAliveTimeout = 120_000;
        server.listen(0, '127.0.0.1', () => resolve(server));
      }),
  ),
);
console.log(`ready ${JSON.stringify(servers.map((s) => (s.address() as AddressInfo).port))}`);
process.on('SIGTERM', () => process.exit(0));
