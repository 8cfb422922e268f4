import { ProgramNotFoundError, resolveProgram as resolve, runProgram, type ProgramResult } from '../exec/run-program';
import { RecoveryError } from './recovery-error';

/** A missing hook program is a recovery error: found before anything is touched. */
export async function resolveProgram(program: string, searchPath: string): Promise<string> {
  try {
    return await resolve(program, searchPath);
  } catch (error) {
    if (error instanceof ProgramNotFoundError) throw new RecoveryError('hook_failed', error.message);
    throw error;
  }
}

/** Runs a hook and turns a non-zero exit or a timeout into an error that names the hook. */
export async function runHook(name: string, argv: readonly string[] | undefined, timeoutMs: number, searchPath: string): Promise<ProgramResult | null> {
  if (!argv) return null;
  const result = await runProgram(argv, timeoutMs, searchPath).catch((error: unknown) => {
    throw error instanceof ProgramNotFoundError ? new RecoveryError('hook_failed', error.message) : error;
  });
  if (result.code !== 0) {
    const why = result.signal ? `was killed (${result.signal}) after ${result.durationMs} ms` : `exited with ${result.code}`;
    throw new RecoveryError(
      'hook_failed',
      `the ${name} hook (${argv[0]}) ${why}${result.output ? `: ${result.output.split('\n').slice(-3).join(' | ')}` : ''}`,
    );
  }
  return result;
}
