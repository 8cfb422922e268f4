// Spawning the real worker process for benchmarks: a free port, a clean environment, /healthz, stop.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO_ROOT } from './common';
import { addCleanup } from './run';
import { freePort } from '../../server/drills/demo-service';

export { freePort };

export function healthz(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

/** The caller's environment minus anything that would point the worker elsewhere or change its heap. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(VIGIL_|WORKER_|DATABASE_URL$|LOG_LEVEL$|NODE_OPTIONS$|PORT$)/.test(k)) continue;
    env[k] = v;
  }
  return { ...env, ...extra } as NodeJS.ProcessEnv;
}

/** Resolves with the rest of the first stdout line that starts with `prefix`. */
export function lineFrom(child: ChildProcess, prefix: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error(`no "${prefix}" line within ${timeoutMs / 1000} s`)), timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.startsWith(prefix));
      if (line) {
        clearTimeout(timer);
        resolve(line.slice(prefix.length));
      }
    });
    child.once('exit', (code) => reject(new Error(`${prefix.trim()}: the process exited (${code}) first`)));
  });
}

export async function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 8_000);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

/** Stops the child on cleanup and keeps the tail of its output for error messages. */
export function track(child: ChildProcess, label: string): { output: () => string } {
  addCleanup(() => stop(child));
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM' && signal !== 'SIGKILL') process.stderr.write(`${label} exited (${code ?? signal})\n`);
  });
  return { output: () => tail };
}

/** Spawns `node [nodeArgs] --import tsx server/main.ts` (in `cwd`, a checkout) and resolves once /healthz answers 200. */
export async function spawnWorker(
  extra: Record<string, string>,
  { cwd = REPO_ROOT, timeoutMs = 45_000, nodeArgs = [] as string[] } = {},
): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'server/main.ts'], {
    cwd,
    env: cleanEnv({ WORKER_PORT: String(port), WORKER_HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...extra }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { output } = track(child, 'worker');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    if ((await healthz(port)) === 200) return { child, port, output };
    await sleep(200);
  }
  throw new Error(`the worker did not answer /healthz within ${timeoutMs / 1000} s:\n${output()}`);
}
