import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import path from 'node:path';

export class ProgramNotFoundError extends Error {
  constructor(
    readonly program: string,
    detail?: string,
  ) {
    super(detail ? `${program} could not start: ${detail}` : `program not found or not executable: ${program}`);
    this.name = 'ProgramNotFoundError';
  }
}

/**
 * A child's whole environment: PATH and what its definition gives, never the worker's own
 * (which holds its secrets). The cast is for Next's typing, which makes NODE_ENV required.
 */
export const childEnv = (searchPath: string, env: Record<string, string> = {}): NodeJS.ProcessEnv =>
  ({ PATH: searchPath, ...env }) as unknown as NodeJS.ProcessEnv;

/** Finds argv[0] the way execvp would, so a missing program is reported before anything starts. */
export async function resolveProgram(program: string, searchPath: string): Promise<string> {
  const candidates = program.includes('/')
    ? [path.resolve(program)]
    : searchPath
        .split(path.delimiter)
        .filter(Boolean)
        .map((dir) => path.join(dir, program));
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // try the next directory
    }
  }
  throw new ProgramNotFoundError(program);
}

export interface ProgramResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  durationMs: number;
}

const OUTPUT_LIMIT = 4096;

/**
 * argv only, never a shell; killed (TERM, then KILL) when it overruns its time. The child
 * gets PATH and what the caller passes, never the worker's own environment (its secrets).
 */
export async function runProgram(argv: readonly string[], timeoutMs: number, searchPath: string, env: Record<string, string> = {}): Promise<ProgramResult> {
  const program = await resolveProgram(argv[0], searchPath);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(program, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], shell: false, env: childEnv(searchPath, env) });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let killTimer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), 2000);
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new ProgramNotFoundError(argv[0], error.message));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      resolve({ code, signal, output: output.trim(), durationMs: Math.round(performance.now() - started) });
    });
  });
}
