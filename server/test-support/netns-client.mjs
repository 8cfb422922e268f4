#!/usr/bin/env node
// A client that tests run inside a network namespace (`ip netns exec <ns> node netns-client.mjs …`),
// so the server sees it come from the namespace's own address. Sends GETs one after another and
// prints their statuses as one JSON array.
//
//   node netns-client.mjs <url> <count> [--header 'name: value']… [--while-status 200]
//
// --while-status stops at the first answer with another status (a flood that ends once refused).
import { request } from 'node:http';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { header: { type: 'string', multiple: true, default: [] }, 'while-status': { type: 'string' } },
});
const [url, countText] = positionals;
const count = Number(countText);
if (!url || !Number.isInteger(count) || count < 1) {
  process.stderr.write('usage: netns-client.mjs <url> <count> [--header "name: value"]... [--while-status N]\n');
  process.exit(2);
}
const headers = Object.fromEntries(
  values.header.map((line) => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
  }),
);
const whileStatus = values['while-status'] === undefined ? null : Number(values['while-status']);

// One connection per request, like the separate clients the server is meant to tell apart.
const get = () =>
  new Promise((resolve, reject) => {
    const req = request(url, { headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });

const statuses = [];
for (let i = 0; i < count; i++) {
  const status = await get();
  statuses.push(status);
  if (whileStatus !== null && status !== whileStatus) break;
}
process.stdout.write(`${JSON.stringify(statuses)}\n`);
