// Child process for bench/probe-load.ts and bench/soak.ts: the probed targets, in a process of
// their own so the prober's CPU time is its own. `PORTS` listeners on 127.0.0.1 answer 200 on any
// path and note when each path was asked (CLOCK_MONOTONIC, comparable with other processes). On
// the IPC message {type:'delays', intervalMs, since} they answer with how late each request came
// against its path's steady cadence, split by the path's first segment (the prober that asks).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const PORTS = Number(process.env.PORTS ?? 4);
const monoMs = () => Number(process.hrtime.bigint()) / 1e6;
const arrivals = new Map<string, number[]>();

const servers = await Promise.all(
  Array.from(
    { length: PORTS },
    () =>
      new Promise<http.Server>((resolve) => {
        const server = http.createServer((req, res) => {
          const url = req.url ?? '/';
          let list = arrivals.get(url);
          if (!list) arrivals.set(url, (list = []));
          list.push(monoMs());
          res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        });
        server.keepAliveTimeout = 60_000;
        server.listen(0, '127.0.0.1', () => resolve(server));
      }),
  ),
);

/**
 * Lateness of each request after `since`: a path asked every `intervalMs` has a phase (its
 * earliest on-time arrival modulo the cadence); a request's delay is how far it came after its
 * slot. Extra requests in one slot (retries) count once, at the first.
 */
function delays(intervalMs: number, since: number): Record<string, number[]> {
  const byPrefix: Record<string, number[]> = {};
  for (const [url, list] of arrivals) {
    const times = list.filter((t) => t >= since);
    if (times.length < 2) continue;
    const origin = times[0];
    const phase = Math.min(...times.map((t) => t - Math.round((t - origin) / intervalMs) * intervalMs));
    const slots = new Set<number>();
    const prefix = url.split('/')[1] ?? '';
    const out = (byPrefix[prefix] ??= []);
    for (const t of times) {
      const slot = Math.round((t - origin) / intervalMs);
      if (slots.has(slot)) continue;
      slots.add(slot);
      out.push(Math.max(0, t - phase - slot * intervalMs));
    }
  }
  return byPrefix;
}

process.on('message', (message: { type: string; intervalMs: number; since: number }) => {
  if (message.type === 'delays') process.send?.({ type: 'delays', delays: delays(message.intervalMs, message.since), paths: arrivals.size });
});
console.log(`ready ${JSON.stringify(servers.map((s) => (s.address() as AddressInfo).port))}`);
process.on('SIGTERM', () => process.exit(0));
process.on('disconnect', () => process.exit(0));
