#!/usr/bin/env node
// A poller that tests start inside a network namespace ahead of time (`ip netns exec <ns> node
// netns-poller.mjs <url>`), so starting a process, slow on a busy machine, is not part of what
// they time. It prints "ready", waits for a line on stdin, then GETs <url> back to back until an
// answer other than 200/204, and prints {"status", "at" (epoch ms of that answer), "requests"}.
import { request } from 'node:http';
import { once } from 'node:events';

const [url] = process.argv.slice(2);
if (!url) {
  process.stderr.write('usage: netns-poller.mjs <url>\n');
  process.exit(2);
}

// Kept alive: each poll is one request, not a TCP handshake as well.
const get = () =>
  new Promise((resolve, reject) => {
    const req = request(url, { headers: { connection: 'keep-alive' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });

process.stdout.write('ready\n');
process.stdin.setEncoding('utf8');
await once(process.stdin, 'data');
let requests = 0;
for (;;) {
  const status = await get();
  requests++;
  if (status !== 200 && status !== 204) {
    process.stdout.write(`${JSON.stringify({ status, at: Date.now(), requests })}\n`);
    process.exit(0);
  }
}
