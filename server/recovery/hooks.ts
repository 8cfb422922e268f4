import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import { RecoveryError } from './recovery-error';

/** Finds argv[0] the way execvp would, so a missing program is reported before anything starts. */
export async function resolveProgram(program: string, searchPath: string): Promise<string> {
  const candidates = program.includes('/') ? [path.resolve(program)] : searchPath.split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, program));
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // try the next directory
    }
  }
  throw new RecoveryError('hook-failed', `program not found or not executable: ${program}`);
}

export interface ProgramResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  durationMs: number;
}

const OUTPUT_LIMIT = 4096;

/** argv only, never a shell; killed (TERM, then KILL) when it overruns its time. */
export async function runProgram(argv: readonly string[], timeoutMs: number, searchPath: string): Promise<ProgramResult> {
  const program = await resolveProgram(argv[0], searchPath);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(program, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], shell: false });
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
      reject(new RecoveryError('hook-failed', `${argv[0]} could not start: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      resolve({ code, signal, output: output.trim(), durationMs: Math.round(performance.now() - started) });
    });
  });
}

/** Runs a hook and turns a non-zero exit or a timeout into an error that names the hook. */
export async function runHook(name: string, argv: readonly string[] | undefined, timeoutMs: number, searchPath: string): Promise<ProgramResult | null> {
  if (!argv) return null;
  const result = await runProgram(argv, timeoutMs, searchPath);
  if (result.code !== 0) {
    const why = result.signal ? `was killed (${result.signal}) after ${result.durationMs} ms` : `exited with ${result.code}`;
    throw new RecoveryError('hook-failed', `the ${name} hook (${argv[0]}) ${why}${result.output ? `: ${result.output.split('\n').slice(-3).join(' | ')}` : ''}`);
  }
  return result;
}
