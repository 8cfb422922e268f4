import { describe, expect, it } from 'vitest';
import { backoffMs, planRecovery, type PlanInput } from './recovery-plan';

const plan = (over: Partial<PlanInput>) =>
  planRecovery({
    failureClass: 'service_failure',
    autonomy: 'auto',
    observeOnly: false,
    inMaintenance: false,
    dependenciesDown: [],
    attempts: 0,
    maxAttempts: 5,
    canRestart: true,
    canRepair: false,
    canConfigSync: false,
    escalationLevel: 1,
    ...over,
  });

describe('planRecovery', () => {
  it('maps each failure class to its action', () => {
    expect(plan({ failureClass: 'transient' }).action).toBe('retry');
    expect(plan({ failureClass: 'degradation' }).action).toBe('shed');
    expect(plan({ failureClass: 'service_failure' })).toMatchObject({
      action: 'restart',
      needsApproval: false,
      flagged: false,
      why: expect.stringMatching(/attempt 1 of 5/),
    });
    expect(plan({ failureClass: 'data_corruption', canRepair: true }).action).toBe('repair');
    expect(plan({ failureClass: 'data_corruption' }).action).toBe('escalate');
    expect(plan({ failureClass: 'drift', canConfigSync: true }).action).toBe('config_sync');
    expect(plan({ failureClass: 'drift' }).action).toBe('escalate');
    expect(plan({ failureClass: 'critical' }).action).toBe('escalate');
  });

  it('honours the autonomy tiers, observe-only, maintenance, level 5 and dependencies', () => {
    expect(plan({ autonomy: 'approval' })).toMatchObject({ action: 'restart', needsApproval: true });
    expect(plan({ autonomy: 'review' })).toMatchObject({ action: 'restart', flagged: true });
    expect(plan({ observeOnly: true }).action).toBe('none');
    expect(plan({ inMaintenance: true }).why).toMatch(/maintenance/);
    expect(plan({ escalationLevel: 5 }).why).toMatch(/human/);
    expect(plan({ dependenciesDown: ['db'] })).toMatchObject({ action: 'wait_dependency', why: expect.stringMatching(/waiting for db/) });
  });

  it('at level 2 turns a lingering transient failure or degradation into a restart', () => {
    expect(plan({ failureClass: 'transient', escalationLevel: 2 })).toMatchObject({ action: 'restart' });
    expect(plan({ failureClass: 'degradation', escalationLevel: 2 })).toMatchObject({ action: 'restart' });
    expect(plan({ failureClass: 'drift', escalationLevel: 2 }).action).toBe('escalate');
  });

  it('escalates when the restart budget is spent or nothing can restart the module', () => {
    expect(plan({ attempts: 5 })).toMatchObject({ action: 'escalate', why: expect.stringMatching(/budget spent/) });
    expect(plan({ canRestart: false }).action).toBe('escalate');
  });
});

describe('backoffMs', () => {
  it('doubles from the initial delay up to the cap, with jitter in the upper half', () => {
    expect(backoffMs({ attempt: 0, initialMs: 1000, maxMs: 300_000, random: () => 0 })).toBe(500);
    expect(backoffMs({ attempt: 3, initialMs: 1000, maxMs: 300_000, random: () => 1 })).toBe(8000);
    expect(backoffMs({ attempt: 20, initialMs: 1000, maxMs: 300_000, random: () => 1 })).toBe(300_000);
  });
});
