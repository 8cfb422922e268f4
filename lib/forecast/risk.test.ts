import { describe, expect, it } from 'vitest';
import { assessSubsystem } from './assess';
import { measureEffectiveness, proposeSuggestions, type Suggestion } from './governor-rules';
import { mitigationPlan } from './mitigations';
import { combineContributions, riskBand } from './risk';

const MINUTE = 60_000;

describe('risk bands and combination', () => {
  it('uses the documented band edges', () => {
    expect([0, 25, 26, 50, 51, 75, 76, 100].map(riskBand)).toEqual(['green', 'green', 'yellow', 'yellow', 'orange', 'orange', 'red', 'red']);
  });

  it('combines signals as a noisy-OR, bounded by 100', () => {
    expect(
      combineContributions([
        { signal: 'a', points: 50, detail: '' },
        { signal: 'b', points: 50, detail: '' },
      ]),
    ).toBe(75);
    expect(
      combineContributions([
        { signal: 'a', points: 100, detail: '' },
        { signal: 'b', points: 90, detail: '' },
      ]),
    ).toBe(100);
    expect(combineContributions([])).toBe(0);
  });
});

describe('assessing a subsystem', () => {
  it('turns a filling disk into a red risk, a prediction with precursors and a prune action', () => {
    const points = Array.from({ length: 30 }, (_, i) => ({ t: i * MINUTE, v: 80 + 0.6 * i }));
    const { risk, predictions } = assessSubsystem(
      { id: 'disk:_', name: 'Disk /', kind: 'disk', exhaustion: [{ label: 'disk', failure: '/ full', unit: '%', points, capacity: 100 }] },
      { now: 29 * MINUTE, horizonMinutes: 60 },
    );
    expect(risk.band).toBe('red');
    expect(risk.contributions[0].signal).toBe('disk exhaustion');
    expect(predictions[0]).toMatchObject({ subsystem: 'disk:_', failure: '/ full' });
    expect(predictions[0].etaMinutes).toBeLessThan(10);
    expect(predictions[0].precursors.length).toBeGreaterThan(0);
    expect(mitigationPlan(risk, predictions)[0].action).toEqual({ id: 'prune-snapshots', target: null });
  });

  it('keeps a quiet module green with no plan, and predicts a crash loop from shrinking restart gaps', () => {
    const quiet = assessSubsystem({ id: 'module:api', name: 'api', kind: 'module', state: 'up' }, { now: 0, horizonMinutes: 60 });
    expect(quiet.risk).toMatchObject({ risk: 0, band: 'green' });
    expect(mitigationPlan(quiet.risk, quiet.predictions)).toEqual([]);
    const now = 60 * MINUTE;
    const looping = assessSubsystem(
      { id: 'module:api', name: 'api', kind: 'module', state: 'up', restarts: { times: [40, 50, 56].map((m) => m * MINUTE), budget: 5, windowMinutes: 30 } },
      { now, horizonMinutes: 60 },
    );
    expect(looping.predictions[0].failure).toContain('crash loop');
    expect(looping.risk.risk).toBeGreaterThan(25);
  });
});

describe('hardening governor', () => {
  const now = Date.parse('2026-11-23T12:00:00Z');
  const at = (minutesAgo: number) => new Date(now - minutesAgo * MINUTE).toISOString();
  const flap = (i: number) => ({
    id: `inc-${i}`,
    module: 'api',
    failureClass: 'transient',
    escalationLevel: 1,
    openedAt: at(100 * i + 10),
    resolvedAt: at(100 * i + 8),
  });

  it('proposes raising a threshold that fires too often, with the evidence, and not for two incidents', () => {
    const modules = [{ name: 'api', latencyFactor: 2, maxAttempts: 5 }];
    expect(proposeSuggestions({ now, incidents: [flap(1), flap(2)], threats: [], modules })).toEqual([]);
    const [proposal] = proposeSuggestions({ now, incidents: [flap(1), flap(2), flap(3)], threats: [], modules });
    expect(proposal).toMatchObject({ rule: 'noisy-threshold', target: 'api', evidence: { count: 3 }, change: { from: 2, to: 3 } });
  });

  it('proposes blocking a repeat rate-limit abuser and measures incidents before and after', () => {
    const threats = [1, 2, 3].map((i) => ({ id: `t${i}`, at: at(i * 10), scenario: 'rate-abuse', key: '203.0.113.9' }));
    expect(proposeSuggestions({ now, incidents: [], threats, modules: [] })[0]).toMatchObject({ rule: 'repeat-abuser', target: '203.0.113.9' });
    const applied: Suggestion = {
      id: 'noisy-threshold:api',
      rule: 'noisy-threshold',
      target: 'api',
      title: '',
      evidence: { count: 3, windowHours: 24, examples: [] },
      change: { path: 'x', from: 2, to: 3 },
      status: 'applied',
      createdAt: at(500),
      decidedAt: at(240),
      decidedBy: 'user:ops',
      effectiveness: null,
    };
    const effect = measureEffectiveness(applied, { now, incidents: [flap(3), flap(4), flap(1)], threats: [], modules: [] });
    expect(effect).toMatchObject({ before: 2, after: 1, verdict: 'improved' });
  });
});
