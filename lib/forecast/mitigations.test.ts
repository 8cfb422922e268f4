import { describe, expect, it } from 'vitest';
import { mitigationPlan, MITIGATION_FROM_RISK } from './mitigations';
import type { Prediction, SubsystemKind, SubsystemRisk } from './risk';

const risk = (kind: SubsystemKind, score: number, signals: string[] = [], name = 'shop'): SubsystemRisk => ({
  id: `${kind}:${name}`,
  name,
  kind,
  risk: score,
  band: 'red',
  contributions: signals.map((signal) => ({ signal, points: 60, detail: signal })),
});

const texts = (steps: ReturnType<typeof mitigationPlan>) => steps.map((step) => step.text);

describe('mitigation plans', () => {
  it('offers nothing below orange', () => {
    expect(mitigationPlan(risk('module', MITIGATION_FROM_RISK - 1, ['restarts']), [])).toEqual([]);
  });

  it('offers a one-click restart for a module, and the steps its signals and predictions call for', () => {
    const predicted: Prediction[] = [
      { subsystem: 'module:shop', failure: 'latency above its limit', eta: '', etaMinutes: 30, probability: 0.8, precursors: [] },
    ];
    const plan = mitigationPlan(risk('module', 80, ['restart rate']), predicted);
    expect(plan[0]).toEqual({ text: 'Restart shop now, before it fails on its own', action: { id: 'restart-module', target: 'shop' } });
    expect(texts(plan).join('\n')).toMatch(/restart budget[\s\S]*slow queries/);
    expect(mitigationPlan(risk('module', 80), [])).toHaveLength(1);
  });

  it('fits the host, disk, backup and defense steps to what is at risk', () => {
    expect(texts(mitigationPlan(risk('host', 90, ['memory growth']), []))[0]).toMatch(/memory keeps growing/);
    expect(texts(mitigationPlan(risk('host', 90, ['cpu']), []))).toEqual(['Shed load: pin degradation to LEVEL_1 to stop background work']);
    expect(mitigationPlan(risk('disk', 70), [])[0].action).toEqual({ id: 'prune-snapshots', target: null });
    expect(mitigationPlan(risk('backups', 70), [])[0].action).toEqual({ id: 'create-golden-snapshot', target: null });
    expect(texts(mitigationPlan(risk('defense', 70), [])).join(' ')).toContain('LOCKDOWN');
  });
});
