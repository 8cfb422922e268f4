import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Principal } from '@/lib/auth/roles';
import type { DefenseMode } from '@/lib/defense/defense-types';
import { HttpError } from '@/lib/http-error';
import { assertNotFrozen, rememberDefenseMode } from '@/app/_lib/lockdown-freeze';
import type { WorkerClient } from './worker-client';

const as = (role: Principal['role']): Principal => ({ id: role, name: role, role, kind: 'user' });

/** A worker whose /healthz answers `mode`, or is unreachable when it throws. */
function workerAnswering(mode: () => DefenseMode) {
  const defenseMode = vi.fn(async () => mode());
  return { worker: { defenseMode } as unknown as WorkerClient, asked: defenseMode };
}

const refusal = (promise: Promise<void>) =>
  promise.then(
    () => null,
    (error: HttpError) => ({ status: error.status, code: error.code }),
  );

describe('the lockdown freeze in front of every change route', () => {
  afterEach(() => vi.useRealTimers());

  it('asks the worker at most once a second, and never for reads or admins', async () => {
    vi.useFakeTimers();
    let mode: DefenseMode = 'NORMAL';
    const { worker, asked } = workerAnswering(() => mode);
    await assertNotFrozen({ worker, principal: as('operator'), method: 'GET' });
    await assertNotFrozen({ worker, principal: as('admin'), method: 'POST' });
    expect(asked).not.toHaveBeenCalled();

    await assertNotFrozen({ worker, principal: as('operator'), method: 'POST' });
    mode = 'LOCKDOWN';
    await assertNotFrozen({ worker, principal: as('operator'), method: 'POST' });
    expect(asked).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1001);
    expect(await refusal(assertNotFrozen({ worker, principal: as('operator'), method: 'DELETE' }))).toEqual({ status: 423, code: 'locked_down' });
    expect(asked).toHaveBeenCalledTimes(2);
  });

  it('takes a mode the web app just set at once', async () => {
    const { worker, asked } = workerAnswering(() => 'NORMAL');
    rememberDefenseMode(worker, 'LOCKDOWN');
    expect(await refusal(assertNotFrozen({ worker, principal: as('operator'), method: 'POST' }))).toEqual({ status: 423, code: 'locked_down' });
    rememberDefenseMode(worker, 'ELEVATED');
    expect(await refusal(assertNotFrozen({ worker, principal: as('viewer'), method: 'PATCH' }))).toBeNull();
    expect(asked).not.toHaveBeenCalled();
  });

  it('fails closed for non-admin changes when the worker cannot say, open for reads and admins', async () => {
    const { worker } = workerAnswering(() => {
      throw new Error('connection refused');
    });
    expect(await refusal(assertNotFrozen({ worker, principal: as('operator'), method: 'POST' }))).toEqual({ status: 503, code: 'defense_mode_unknown' });
    expect(await refusal(assertNotFrozen({ worker, principal: as('operator'), method: 'GET' }))).toBeNull();
    expect(await refusal(assertNotFrozen({ worker, principal: as('admin'), method: 'POST' }))).toBeNull();
  });
});
