// Child process for bench/probe-load.ts: the cost floor. A bare Node loop that does what the
// worker's probes do and nothing else: one GET per target every INTERVAL seconds, spread evenly
// over the interval, through one keep-alive agent. TARGETS is a JSON list of URLs.
import http from 'node:http';

const targets = JSON.parse(process.env.TARGETS ?? '[]') as string[];
const intervalMs = Number(process.env.INTERVAL ?? 10) * 1000;
const agent = new http.Agent({ keepAlive: true });
let failures = 0;

function get(url: string): void {
  const request = http.get(url, { agent, timeout: 5000 }, (response) => {
    response.resume();
    if (response.statusCode !== 200) failures += 1;
  });
  request.on('timeout', () => request.destroy());
  request.on('error', () => (failures += 1));
}

targets.forEach((url, i) => {
  setTimeout(
    () => {
      get(url);
      setInterval(() => get(url), intervalMs);
    },
    (i * intervalMs) / targets.length,
  );
});
process.on('message', () => process.send?.({ type: 'failures', failures }));
process.on('SIGTERM', () => process.exit(0));
process.on('disconnect', () => process.exit(0));
console.log('ready');
