import type { ModuleDefinition } from '@/lib/healing/module-schema';
import { ProgramNotFoundError, runProgram } from '../exec/run-program';
import type { ModuleRuntime } from './module-runtime';

export interface ActionOutcome {
  ok: boolean;
  message: string;
  durationMs: number;
}

const describe = (error: unknown) => (error instanceof ProgramNotFoundError ? error.message : (error as Error).message);

async function runHookCommand(argv: readonly string[], timeoutMs: number, searchPath: string): Promise<ActionOutcome> {
  const started = performance.now();
  try {
    const result = await runProgram(argv, timeoutMs, searchPath);
    const durationMs = Math.round(performance.now() - started);
    if (result.code === 0) return { ok: true, message: `${argv[0]} exited 0`, durationMs };
    const why = result.signal ? `was killed (${result.signal}) after ${durationMs} ms` : `exited with ${result.code}`;
    return { ok: false, message: `${argv[0]} ${why}${result.output ? `: ${result.output.split('\n').slice(-2).join(' | ')}` : ''}`, durationMs };
  } catch (error) {
    return { ok: false, message: describe(error), durationMs: Math.round(performance.now() - started) };
  }
}

async function postHook(url: string, timeoutMs: number, module: string): Promise<ActionOutcome> {
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ module, action: 'restart' }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    return { ok: response.ok, message: `restart hook answered HTTP ${response.status}`, durationMs: Math.round(performance.now() - started) };
  } catch (error) {
    return {
      ok: false,
      message: `restart hook failed: ${(error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (error as Error).message}`,
      durationMs: Math.round(performance.now() - started),
    };
  }
}

export const canRestart = (definition: ModuleDefinition): boolean => definition.kind === 'process' || definition.restart !== undefined;

/** Restarts a module the way its kind allows; a hook that fails or hangs is a failed action, never a loop. */
export async function restartModule(runtime: ModuleRuntime, searchPath: string): Promise<ActionOutcome> {
  const { definition } = runtime;
  const timeoutMs = definition.restartPolicy.timeoutSeconds * 1000;
  if (definition.kind === 'process' && runtime.supervisor) {
    const started = performance.now();
    try {
      await runtime.supervisor.restart();
      return { ok: true, message: `respawned as pid ${runtime.supervisor.pid}`, durationMs: Math.round(performance.now() - started) };
    } catch (error) {
      return { ok: false, message: `could not respawn: ${describe(error)}`, durationMs: Math.round(performance.now() - started) };
    }
  }
  if (!definition.restart) return { ok: false, message: 'no restart command or hook is configured', durationMs: 0 };
  if ('command' in definition.restart) return runHookCommand(definition.restart.command, timeoutMs, searchPath);
  return postHook(definition.restart.http, timeoutMs, definition.name);
}

export async function runModuleHook(kind: 'repair' | 'configSync', definition: ModuleDefinition, searchPath: string): Promise<ActionOutcome> {
  const hook = definition[kind];
  if (!hook) return { ok: false, message: `no ${kind} hook is configured`, durationMs: 0 };
  return runHookCommand(hook.command, definition.restartPolicy.timeoutSeconds * 1000, searchPath);
}
