// Child process for bench/healing-http-2000.ts: the probed targets, apart from the engine so the
// engine's CPU time is its own. `PORTS` listeners on 127.0.0.1, each answering 200 on any path;
// prints "ready <ports as JSON>" once all listen.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const PORTS = Number(process.env.PORTS ?? 50);
const servers = await Promise.all(
  Array.from(
    { length: PORTS },
    () =>
      new Promise<http.Server>((resolve) => {
        const server = http.createServer((req, res) => {
          res.writeHead(200, { 'content-type': 'text/plain' }).end(`ok ${req.url}`);
        });
        server.keepAliveTimeout = 60_000;
        server.listen(0, '127.0.0.1', () => resolve(server));
      }),
  ),
);
console.log(`ready ${JSON.stringify(servers.map((s) => (s.address() as AddressInfo).port))}`);
process.on('SIGTERM', () => process.exit(0));
