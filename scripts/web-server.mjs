#!/usr/bin/env node
// Serves the built web app (what `next start` does) and stamps every request with the
// address of the socket it came from. Next.js passes a client's own X-Forwarded-For
// through untouched, so without this the web app could not tell a forged address from
// a real one; with it, forwarded headers are believed only from trusted proxies.
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import next from 'next';
import { keepNewFilesPrivate } from './lib/private-files.mjs';

export const PEER_HEADER = 'x-vigil-peer';

// Also when started on its own (a container, a service unit) rather than by `npm start`.
keepNewFilesPrivate();

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME && process.env.HOSTNAME !== 'localhost' ? process.env.HOSTNAME : '0.0.0.0';

const app = next({ dev: false, dir: root, port, hostname });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((req, res) => {
  req.headers[PEER_HEADER] = req.socket.remoteAddress ?? '';
  void handle(req, res);
});
server.on('error', (error) => {
  process.stderr.write(`vigil web: ${error.code === 'EADDRINUSE' ? `port ${port} is already in use (PORT)` : error.message}\n`);
  process.exit(1);
});
server.listen(port, hostname, () => process.stdout.write(`vigil web: listening on http://${hostname}:${port}\n`));

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
