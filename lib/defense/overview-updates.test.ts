import { describe, expect, it } from 'vitest';
import type { DefenseDecision, DefenseOverview, DefenseThreat } from './defense-types';
import { withDecision, withMode, withThreat } from './overview-updates';

const empty: DefenseOverview = {
  mode: 'NORMAL',
  lockdown: null,
  threats: [],
  isolations: [],
  isolationCount: 0,
  allowlist: [],
  threatCounts: { medium: 0, high: 0, critical: 0 },
  threatsPerMinute: [],
  guard: { checks: 0, denied: 0 },
};
const threat = (id: string): DefenseThreat => ({
  id,
  at: '2026-01-01T10:00:00Z',
  scenario: 'brute-force',
  level: 'critical',
  groupBy: 'ip',
  key: '203.0.113.9',
  source: '203.0.113.9',
  count: 10,
  action: 'isolated',
  origin: 'ingest',
  modeAtDetection: 'NORMAL',
});
const decision = (source: string): DefenseDecision => ({
  id: 1,
  source,
  scope: 'ip',
  origin: 'manual',
  scenario: null,
  reason: 'r',
  actor: 'user:a',
  offence: 1,
  createdAt: '2026-01-01T10:00:00Z',
  expiresAt: null,
});

describe('live updates of the defense overview', () => {
  it('puts a threat first, counts it once and adds it to its minute', () => {
    const once = withThreat(empty, threat('a'));
    const twice = withThreat(once, threat('a'));
    expect(twice).toBe(once);
    expect(withThreat(once, threat('b')).threats.map((t) => t.id)).toEqual(['b', 'a']);
    expect(once.threatCounts.critical).toBe(1);
    expect(once.threatsPerMinute).toEqual([{ minute: Date.parse('2026-01-01T10:00:00Z'), medium: 0, high: 0, critical: 1 }]);
  });

  it('adds, replaces and drops isolations by source', () => {
    const at = { actor: 'user:a', reason: 'r', at: '2026-01-01T10:00:00Z' };
    const one = withDecision(empty, { change: 'isolated', decision: decision('10.0.0.1'), ...at });
    const again = withDecision(one, { change: 'isolated', decision: { ...decision('10.0.0.1'), offence: 2 }, ...at });
    expect(again.isolations.map((d) => d.offence)).toEqual([2]);
    expect(again.isolationCount).toBe(1);
    const gone = withDecision(again, { change: 'expired', decision: decision('10.0.0.1'), ...at });
    expect(gone).toMatchObject({ isolations: [], isolationCount: 0 });
  });

  it('takes the new mode and the lockdown that came with it', () => {
    const lockdown = { actor: 'user:a', reason: 'attack', since: '2026-01-01T10:00:00Z', expiresAt: null };
    expect(withMode(empty, { from: 'NORMAL', to: 'LOCKDOWN', actor: 'user:a', reason: 'attack', at: lockdown.since, lockdown })).toMatchObject({
      mode: 'LOCKDOWN',
      lockdown,
    });
  });
});
