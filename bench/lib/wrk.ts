// Saturation runs with wrk (Debian package), which is written in C and leaves the CPU to
// the server under test far better than a Node client would on a small machine.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';

export interface WrkResult {
  requestsPerSecond: number;
  latencyMs: { p50: number; p99: number };
  non2xx: number;
  errors: string | null;
}

const toMs = (text: string): number => {
  const m = /([\d.]+)(us|ms|s)/.exec(text);
  if (!m) return NaN;
  const v = Number(m[1]);
  return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
};

/**
 * A Lua script that sends each request from another address, cycling over `sources`.
 * With `delayMs`, each connection pauses about that long between requests: wrk (unlike wrk2,
 * which Debian does not package) has no fixed-rate mode, so connections × 1000 / delayMs
 * caps the rate instead. The pause is drawn from delayMs/2 … 3·delayMs/2 (same mean): with a
 * fixed pause, connections that started together stay in step and arrive at the server in bursts
 * of all of them at once, so the tail measured the queue the generator built, not the server.
 */
export function writeWrkScript(
  file: string,
  { sources, isolatedEvery, delayMs, crowdsecKey }: { sources: number; isolatedEvery: number; delayMs?: number; crowdsecKey?: string },
): string {
  // The same addresses asked of CrowdSec's local API the way its bouncers ask.
  const format = crowdsecKey
    ? `wrk.format("GET", "/v1/decisions?ip=" .. ip, { ["X-Api-Key"] = "${crowdsecKey}" })`
    : 'wrk.format("GET", nil, { ["X-Forwarded-For"] = ip, ["X-Forwarded-Uri"] = "/item/" .. (i % 100) })';
  // Every request is formatted once, in init: wrk's one thread then spends less CPU per request,
  // CPU the servers measured would otherwise share with it on this 2-core machine.
  writeFileSync(
    file,
    `${delayMs ? `delay = function() return math.random(${Math.ceil(delayMs / 2)}, ${Math.floor((3 * delayMs) / 2)}) end\n` : ''}local requests = {}
local n = 0
init = function(args)
  for i = 0, ${sources - 1} do
    local ip
    if i % ${isolatedEvery} == 0 then ip = "10." .. (math.floor(i / 65536) % 2) .. "." .. (math.floor(i / 256) % 256) .. "." .. (i % 256)
    else ip = "198." .. (18 + math.floor(i / 65536) % 2) .. "." .. (math.floor(i / 256) % 256) .. "." .. (i % 256) end
    requests[i + 1] = ${format}
  end
end
request = function()
  n = n % ${sources} + 1
  return requests[n]
end
`,
  );
  return file;
}

/**
 * `cpu`: run wrk pinned to that core (taskset), so the load generator and the server under
 * test stop taking turns on the same core — on a 2-core machine that turn-taking, not the
 * server, is most of a closed loop's tail latency.
 */
export function runWrk({
  url,
  seconds,
  connections,
  script,
  cpu,
}: {
  url: string;
  seconds: number;
  connections: number;
  script?: string;
  cpu?: number;
}): Promise<WrkResult> {
  const wrkArgs = ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', ...(script ? ['-s', script] : []), url];
  const [command, args] = cpu === undefined ? ['wrk', wrkArgs] : ['taskset', ['-c', String(cpu), 'wrk', ...wrkArgs]];
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: (seconds + 30) * 1000 }, (error, stdout) => {
      if (error) return reject(error);
      const rps = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
      const p50 = /\s50%\s+(\S+)/.exec(stdout);
      const p99 = /\s99%\s+(\S+)/.exec(stdout);
      const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout);
      const socketErrors = /Socket errors:.*/.exec(stdout);
      resolve({
        requestsPerSecond: Math.round(Number(rps?.[1] ?? NaN)),
        latencyMs: { p50: toMs(p50?.[1] ?? ''), p99: toMs(p99?.[1] ?? '') },
        non2xx: Number(non2xx?.[1] ?? 0),
        errors: socketErrors?.[0] ?? null,
      });
    });
  });
}
