import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// From the module's URL, not __dirname: benchmarks load these helpers as ES modules too.
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface RunningProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves when stdout has printed a line matching `pattern`. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
  kill(signal?: NodeJS.Signals): void;
}

export interface SpawnOptions {
  args?: string[];
  env?: Record<string, string | undefined>;
  /** The working directory; the repository by default. */
  cwd?: string;
  /** A program node runs under, with its arguments: `['ip', 'netns', 'exec', name]` runs it in a network namespace. */
  wrapper?: string[];
}

/** Runs a TypeScript entry point of this repo from its source: `node --import tsx <file>`. */
export function spawnTs(file: string, { args = [], ...options }: SpawnOptions = {}): RunningProcess {
  return spawnNode(['--import', 'tsx', file, ...args], options);
}

/** Runs node with `nodeArgs` (e.g. a compiled entry point and its arguments). */
export function spawnNode(nodeArgs: string[], { env = {}, cwd = REPO_ROOT, wrapper = [] }: Omit<SpawnOptions, 'args'> = {}): RunningProcess {
  const [program, ...args] = [...wrapper, process.execPath, ...nodeArgs];
  const child = spawn(program, args, {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    listeners.forEach((notify) => notify());
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve({ code, signal });
      listeners.forEach((notify) => notify());
    });
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForOutput(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(out);
          if (match) {
            cleanup();
            resolve(match[0]);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            cleanup();
            reject(new Error(`process ended before printing ${pattern}; stderr: ${err}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${pattern}; stderr: ${err}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}
