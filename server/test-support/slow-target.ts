// A probe target in its own process, so blocking the test's event loop never blocks the target:
// answers 200 to any path after DELAY_MS, and never answers /hang. Prints "listening <port>".
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const delayMs = Number(process.env.DELAY_MS ?? 0);
const server = http.createServer((req, res) => {
  if (req.url === '/hang') return;
  setTimeout(() => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'), delayMs);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(`listening ${(server.address() as AddressInfo).port}`));
process.on('SIGTERM', () => process.exit(0));
