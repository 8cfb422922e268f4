import { spawn } from 'node:child_process';
import type { OffsiteRepositoryConfig } from '@/lib/config/offsite-config';
import { ProgramNotFoundError, resolveProgram } from '../../exec/run-program';
import { resticChildEnv } from '../../env/restic-env';
import { RecoveryError } from '../recovery-error';
import { resticFailure } from './restic-failure';

export interface ResticSetup {
  /** The restic program as configured: a name looked up on searchPath, or a path. */
  binary: string;
  searchPath: string;
  /** restic's local cache of repository indexes, inside Vigil's data directory. */
  cacheDir: string;
}

export interface ResticRun {
  repo: OffsiteRepositoryConfig;
  args: string[];
  /** What is being done, for messages: "copy of golden-1". */
  action: string;
  cwd?: string;
  /** Each line restic prints on stdout (with --json, one JSON document per line). */
  onLine?: (line: string) => void;
  signal?: AbortSignal;
}

/** Finds restic once per operation: its absence disables only the off-site copies, with this message. */
export async function locateRestic(setup: ResticSetup): Promise<string> {
  try {
    return await resolveProgram(setup.binary, setup.searchPath);
  } catch (error) {
    if (!(error instanceof ProgramNotFoundError)) throw error;
    throw new RecoveryError(
      'offsite_unavailable',
      `off-site copies are disabled: the restic program (${setup.binary}) was not found; install the Debian package restic or set snapshots.resticBinary`,
    );
  }
}

/**
 * More than restic prints for anything Vigil asks (a listing of thousands of snapshots is a few
 * MiB); past it the program is stopped, since its output is kept in the worker's memory.
 */
export const RESTIC_OUTPUT_LIMIT_BYTES = 32 * 1024 * 1024;

/** Runs restic against one repository and resolves with its stdout; a failure is a RecoveryError naming the repository. */
export async function runRestic(setup: ResticSetup, run: ResticRun): Promise<string> {
  const program = await locateRestic(setup);
  const options = Object.entries(run.repo.options).flatMap(([key, value]) => ['-o', `${key}=${value}`]);
  const argv = ['--repo', run.repo.repository, '--cache-dir', setup.cacheDir, ...options, ...run.args];
  const env = resticChildEnv(run.repo, setup.searchPath);
  return new Promise((resolve, reject) => {
    // SIGINT, the signal restic cleans up after (it removes its lock in the repository), and
    // the promise settles only once it has exited, so the next restic run finds no lock of it.
    const child = spawn(program, argv, { cwd: run.cwd, env, stdio: ['ignore', 'pipe', 'pipe'], signal: run.signal, killSignal: 'SIGINT' });
    let cancelled = false;
    let stdout = '';
    let pending = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (stdout.length + chunk.length > RESTIC_OUTPUT_LIMIT_BYTES) {
        child.kill('SIGKILL');
        child.stdout.destroy();
        reject(
          new RecoveryError(
            'offsite_failed',
            `${run.action} to off-site repository ${run.repo.name}: restic printed more than ${RESTIC_OUTPUT_LIMIT_BYTES / 1024 / 1024} MiB and was stopped`,
          ),
        );
        return;
      }
      stdout += chunk;
      pending += chunk;
      // Split only when a line ended: splitting a long unfinished line on every chunk costs its length each time.
      if (!chunk.includes('\n')) return;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) run.onLine?.(line);
    });
    // Only the tail matters for the message; a long run must not grow this without bound.
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => void (stderr = (stderr + chunk).slice(-8000)));
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.name === 'AbortError') cancelled = true;
      else reject(new RecoveryError('offsite_unavailable', `restic could not start (${error.code ?? error.message})`));
    });
    child.on('close', (code, signal) => {
      if (pending.trim()) run.onLine?.(pending);
      if (cancelled) reject(new RecoveryError('offsite_failed', `${run.action} to off-site repository ${run.repo.name} was cancelled`));
      else if (code === 0) resolve(stdout);
      else reject(resticFailure({ repoName: run.repo.name, action: run.action, stderr, code, signal }));
    });
  });
}
