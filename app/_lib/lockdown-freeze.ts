import type { Principal } from '@/lib/auth/roles';
import type { DefenseMode } from '@/lib/defense/defense-types';
import { HttpError } from '@/lib/http-error';
import { LOCKDOWN_READ_ONLY_MESSAGE, lockdownMayHold, refusedUnder } from '@/lib/defense/lockdown-policy';
import type { WorkerClient } from '@/server/web/worker-client';

/** A lockdown set by the integrity monitor reaches the web app within this; one set here, at once. */
const FRESH_MS = 1000;

const known = new WeakMap<WorkerClient, { mode: DefenseMode | null; at: number }>();

/** The lockdown and lift routes know the new mode before the cache would notice it. */
export function rememberDefenseMode(worker: WorkerClient, mode: DefenseMode): void {
  known.set(worker, { mode, at: Date.now() });
}

async function currentMode(worker: WorkerClient): Promise<DefenseMode | null> {
  const cached = known.get(worker);
  if (cached && Date.now() - cached.at < FRESH_MS) return cached.mode;
  const mode = await worker.defenseMode().catch(() => null);
  known.set(worker, { mode, at: Date.now() });
  return mode;
}

/** Refuses a change by a non-admin while the worker is in LOCKDOWN (or cannot say whether it is). */
export async function assertNotFrozen(input: { worker: WorkerClient; principal: Principal; method: string }): Promise<void> {
  if (!lockdownMayHold({ method: input.method, role: input.principal.role })) return;
  const mode = await currentMode(input.worker);
  if (!refusedUnder(mode)) return;
  if (mode === null)
    throw new HttpError(
      503,
      'defense_mode_unknown',
      'the worker cannot say whether LOCKDOWN is in force, so only administrators can make changes until it answers',
      { 'retry-after': '2' },
    );
  throw new HttpError(423, 'locked_down', LOCKDOWN_READ_ONLY_MESSAGE);
}
