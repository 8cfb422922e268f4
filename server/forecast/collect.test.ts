import { describe, expect, it } from 'vitest';
import type { ModuleView } from '@/lib/healing/module-view';
import { collectSignals, type ForecastInputs } from './collect';
import { SeriesStore } from './series-store';

const view = (name: string): ModuleView =>
  ({
    id: name,
    name,
    kind: 'http',
    state: 'up',
    stateSince: '',
    restarts: 0,
    critical: false,
    source: 'config',
    message: null,
    latencyMs: 120,
    p95Ms: 120,
    baselineMs: 100,
    sparkline: [120],
    lastCheckAt: null,
    incidentId: null,
    dependsOn: [],
    autonomy: 'auto',
    observeOnly: false,
    pid: null,
    pendingApproval: null,
    canRestart: false,
  }) as ModuleView;

describe('collecting module signals', () => {
  it("uses each module's own latency factor and restart budget, as the healing engine does", () => {
    const settings: Record<string, { maxAttempts: number; latencyFactor: number }> = {
      api: { maxAttempts: 5, latencyFactor: 2 },
      batch: { maxAttempts: 9, latencyFactor: 4.5 },
    };
    const inputs: ForecastInputs = {
      health: null,
      modules: [view('api'), view('batch')],
      moduleSettings: (name) => settings[name],
      incidents: [],
      threats: [],
      database: { latencyMs: null, sizeBytes: null, freeBytes: null },
      golden: null,
    };
    const signals = collectSignals(inputs, new SeriesStore(30), new Map(), Date.parse('2026-11-23T00:00:00Z'));
    const latency = (id: string) => signals.find((s) => s.id === id)!.crossings!.find((c) => c.label === 'latency P95')!;
    expect(latency('module:api')).toMatchObject({ threshold: 200, failure: 'latency P95 over 2x baseline' });
    expect(latency('module:batch')).toMatchObject({ threshold: 450, failure: 'latency P95 over 4.5x baseline' });
    expect(signals.find((s) => s.id === 'module:batch')!.restarts!.budget).toBe(9);
  });
});

describe('collecting the backups signal', () => {
  const inputs = (golden: ForecastInputs['golden']): ForecastInputs => ({
    health: null,
    modules: [],
    moduleSettings: () => ({ maxAttempts: 5, latencyFactor: 2 }),
    incidents: [],
    threats: [],
    database: { latencyMs: null, sizeBytes: null, freeBytes: null },
    golden,
  });
  const backups = (golden: ForecastInputs['golden']) =>
    collectSignals(inputs(golden), new SeriesStore(30), new Map(), Date.now()).find((s) => s.id === 'backups')!;

  it('counts the off-site copy age against the golden policy, and a failing repository, only when repositories are configured', () => {
    expect(backups({ verifiedAgeHours: 1, maxAgeHours: 24 }).levels).toBeUndefined();
    expect(backups({ verifiedAgeHours: 1, maxAgeHours: 24, offsite: { newestCopyAgeHours: 30, checkFailed: false } }).levels).toEqual([
      { label: 'off-site copy age', value: 30, warnAt: 24, failAt: 48, unit: 'h' },
    ]);
    const never = backups({ verifiedAgeHours: 1, maxAgeHours: 24, offsite: { newestCopyAgeHours: null, checkFailed: true } }).levels!;
    expect(never.map((l) => [l.label, l.value])).toEqual([
      ['off-site copy age', 48],
      ['off-site copy or check failing', 1],
    ]);
  });
});
