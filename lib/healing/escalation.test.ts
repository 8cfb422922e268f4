import { describe, expect, it } from 'vitest';
import { automationAllowed, defaultEscalationPolicy, escalationLevelAt, escalationPolicySchema, notificationsDue } from './escalation';
import type { EscalationLevel, IncidentSummary } from './incident';

const opened = new Date('2026-03-01T10:00:00Z');
const after = (minutes: number) => new Date(opened.getTime() + minutes * 60_000);
const policy = defaultEscalationPolicy();

const levelAfter = (minutes: number, extra: { attempts?: number; restartsExhausted?: boolean; atLeast?: EscalationLevel } = {}) =>
  escalationLevelAt({
    openedAt: opened,
    now: after(minutes),
    attempts: extra.attempts ?? 0,
    restartsExhausted: extra.restartsExhausted ?? false,
    atLeast: extra.atLeast,
    policy,
  });

function incident(over: Partial<IncidentSummary> = {}): IncidentSummary {
  return {
    id: 'inc-1',
    module: 'api',
    title: 'health check failing',
    severity: 'high',
    failureClass: 'service_failure',
    rootCause: null,
    confidence: 0.5,
    state: 'open',
    escalationLevel: 3,
    openedAt: opened.toISOString(),
    resolvedAt: null,
    affectedDependents: [],
    ...over,
  };
}

describe('escalationLevelAt', () => {
  it('climbs 1 → 5 at the default minutes', () => {
    expect([0, 0.99, 1, 4.99, 5, 14.99, 15, 29.99, 30, 600].map((m) => levelAfter(m).level)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(levelAfter(30).why).toContain('automation stops');
  });

  it('restarts early after enough failed retries and notifies early when the restart budget is spent', () => {
    expect(levelAfter(0.2, { attempts: 2 }).level).toBe(1);
    expect(levelAfter(0.2, { attempts: 3 })).toEqual({ level: 2, why: '3 failed retries: restart' });
    expect(levelAfter(2, { restartsExhausted: true })).toEqual({ level: 3, why: 'restart budget spent: notify operators' });
    // Time wins once it is further along than the events.
    expect(levelAfter(16, { restartsExhausted: true }).level).toBe(4);
  });

  it('honours a floor from the engine and accepts ISO strings', () => {
    expect(levelAfter(0, { atLeast: 5 }).level).toBe(5);
    expect(escalationLevelAt({ openedAt: opened.toISOString(), now: after(6), attempts: 0, restartsExhausted: false, policy }).level).toBe(3);
  });

  it('never goes down as time passes', () => {
    let previous = 1;
    for (let minute = 0; minute < 40; minute += 0.25) {
      const { level } = levelAfter(minute, { attempts: Math.floor(minute) });
      expect(level).toBeGreaterThanOrEqual(previous);
      previous = level;
    }
  });

  it('validates the policy: levels in order, reminders optional', () => {
    expect(policy).toMatchObject({ restartAfterMinutes: 1, notifyAfterMinutes: 5, criticalAfterMinutes: 15, humanAfterMinutes: 30, reminderMinutes: 30 });
    const bad = escalationPolicySchema.safeParse({ notifyAfterMinutes: 20 });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0].path).toEqual(['humanAfterMinutes']);
    expect(escalationPolicySchema.safeParse({ reminderMinutes: 0 }).success).toBe(true);
    expect(escalationPolicySchema.safeParse({ surprise: 1 }).success).toBe(false);
  });
});

describe('automationAllowed', () => {
  it('stops automation at level 5 only', () => {
    expect(([1, 2, 3, 4, 5] as const).map(automationAllowed)).toEqual([true, true, true, true, false]);
  });
});

describe('notificationsDue', () => {
  const due = (over: Partial<IncidentSummary>, previousLevel: EscalationLevel, lastNotifiedAt: Date | null, now: Date, p = policy) =>
    notificationsDue({ incident: incident(over), previousLevel, lastNotifiedAt, now, policy: p })?.kind ?? null;

  it('sends nothing below level 3', () => {
    expect(due({ escalationLevel: 1 }, 1, null, after(0))).toBeNull();
    expect(due({ escalationLevel: 2 }, 1, null, after(2))).toBeNull();
  });

  it('alerts at 3, goes critical at 4 and again at 5', () => {
    expect(due({ escalationLevel: 3 }, 2, null, after(5))).toBe('alert');
    expect(due({ escalationLevel: 4 }, 3, after(5), after(15))).toBe('critical');
    expect(due({ escalationLevel: 5 }, 4, after(15), after(30))).toBe('critical');
    // Straight from 1 to 4 (e.g. a long maintenance window ended): one critical, not an alert first.
    expect(due({ escalationLevel: 4 }, 1, null, after(15))).toBe('critical');
  });

  it('reminds every reminderMinutes while open, and not when reminders are off', () => {
    expect(due({ escalationLevel: 3 }, 3, after(5), after(34.9))).toBeNull();
    expect(due({ escalationLevel: 3 }, 3, after(5), after(35))).toBe('reminder');
    expect(due({ escalationLevel: 5 }, 5, after(30), after(60))).toBe('reminder');
    expect(due({ escalationLevel: 3 }, 3, after(5), after(500), escalationPolicySchema.parse({ reminderMinutes: 0 }))).toBeNull();
  });

  it('sends a recovery notice once, and only if somebody was told', () => {
    const resolved = { state: 'resolved' as const, resolvedAt: after(20).toISOString(), escalationLevel: 4 as const };
    expect(due(resolved, 4, after(15), after(20))).toBe('recovery');
    expect(due(resolved, 4, after(20), after(21))).toBeNull();
    expect(due({ ...resolved, escalationLevel: 2 }, 2, null, after(20))).toBeNull();
  });
});
