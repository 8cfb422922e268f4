import { describe, expect, it } from 'vitest';
import { bandForScore } from './degradation';
import { DEFAULT_SCORE_WEIGHTS, computeHealthScore, systemSampleSchema, type DiskUsage, type SystemSample } from './score';

type Sample = Pick<SystemSample, 'cpuPercent' | 'memoryPercent' | 'disks' | 'load1' | 'cores'>;

function disk(mount: string, usedPercent: number): DiskUsage {
  const totalBytes = 100 * 1024 ** 3;
  return { mount, usedPercent, totalBytes, freeBytes: totalBytes * (1 - usedPercent / 100) };
}

/** A quiet host: nothing near any knee. */
function idle(overrides: Partial<Sample> = {}): Sample {
  return { cpuPercent: 5, memoryPercent: 20, disks: [disk('/', 30)], load1: 0.2, cores: 4, ...overrides };
}

function deduction(sample: Sample, factor: string) {
  return computeHealthScore(sample).deductions.find((d) => d.factor === factor);
}

describe('computeHealthScore', () => {
  it('gives an idle host 100 with no deductions', () => {
    expect(computeHealthScore(idle())).toEqual({ score: 100, deductions: [] });
  });

  it('gives 100 with no deductions right at every knee', () => {
    expect(computeHealthScore(idle({ cpuPercent: 70, memoryPercent: 75, disks: [disk('/', 80)], load1: 4, cores: 4 }))).toEqual({
      score: 100,
      deductions: [],
    });
  });

  it('uses the documented default weights', () => {
    expect(DEFAULT_SCORE_WEIGHTS).toEqual({
      cpu: { from: 70, max: 30 },
      memory: { from: 75, max: 35 },
      disk: { from: 80, max: 35 },
      load: { from: 1, to: 3, max: 15 },
    });
  });

  describe('cpu ramp (70 % -> 100 %, up to 30 points)', () => {
    it.each([
      [0, undefined],
      [69, undefined],
      [70, undefined],
      [85, 15],
      [80, 10],
      [100, 30],
    ])('cpu %d %% deducts %s points', (cpuPercent, points) => {
      expect(deduction(idle({ cpuPercent }), 'cpu')?.points).toBe(points);
    });

    it('scores the host accordingly', () => {
      expect(computeHealthScore(idle({ cpuPercent: 85 })).score).toBe(85);
      expect(computeHealthScore(idle({ cpuPercent: 100 })).score).toBe(70);
    });
  });

  describe('memory ramp (75 % -> 100 %, up to 35 points)', () => {
    it.each([
      [74, undefined],
      [75, undefined],
      [87.5, 17.5],
      [80, 7],
      [100, 35],
    ])('memory %d %% deducts %s points', (memoryPercent, points) => {
      expect(deduction(idle({ memoryPercent }), 'memory')?.points).toBe(points);
    });

    it('scores the host accordingly', () => {
      expect(computeHealthScore(idle({ memoryPercent: 100 })).score).toBe(65);
    });
  });

  describe('disk ramp (80 % -> 100 %, up to 35 points)', () => {
    it.each([
      [79, undefined],
      [80, undefined],
      [90, 17.5],
      [84, 7],
      [100, 35],
    ])('disk %d %% deducts %s points', (usedPercent, points) => {
      expect(deduction(idle({ disks: [disk('/', usedPercent)] }), 'disk')?.points).toBe(points);
    });

    it('charges only the fullest disk', () => {
      const result = computeHealthScore(idle({ disks: [disk('/', 50), disk('/data', 90), disk('/boot', 85)] }));
      const disks = result.deductions.filter((d) => d.factor === 'disk');
      expect(disks).toEqual([{ factor: 'disk', points: 17.5, detail: '/data at 90 %' }]);
      expect(result.score).toBe(83);
    });

    it('charges the fullest disk wherever it is in the list', () => {
      const first = deduction(idle({ disks: [disk('/var', 100), disk('/', 10)] }), 'disk');
      const last = deduction(idle({ disks: [disk('/', 10), disk('/home', 81), disk('/var', 100)] }), 'disk');
      expect(first).toEqual({ factor: 'disk', points: 35, detail: '/var at 100 %' });
      expect(last).toEqual({ factor: 'disk', points: 35, detail: '/var at 100 %' });
    });

    it('deducts nothing for disks when none are reported', () => {
      expect(computeHealthScore(idle({ disks: [] }))).toEqual({ score: 100, deductions: [] });
    });
  });

  describe('load ramp (per core: 1 -> 3, up to 15 points)', () => {
    it.each([
      [4, 4, undefined], // 1 per core
      [8, 4, 7.5], // 2 per core
      [12, 4, 15], // 3 per core
      [40, 4, 15], // 10 per core: capped
      [5, 4, 1.9], // 1.25 per core: 1.875 rounded to 0.1
    ])('load1 %d on %d cores deducts %s points', (load1, cores, points) => {
      expect(deduction(idle({ load1, cores }), 'load')?.points).toBe(points);
    });

    it('divides load by the core count', () => {
      expect(deduction(idle({ load1: 8, cores: 8 }), 'load')).toBeUndefined();
      expect(deduction(idle({ load1: 8, cores: 2 }), 'load')?.points).toBe(15);
      expect(deduction(idle({ load1: 2, cores: 1 }), 'load')?.points).toBe(7.5);
    });

    it('treats a core count below 1 as one core', () => {
      expect(deduction(idle({ load1: 2, cores: 0 }), 'load')).toEqual({ factor: 'load', points: 7.5, detail: 'load 2.00 per core' });
    });
  });

  it('explains each deduction with its factor and a readable detail', () => {
    const result = computeHealthScore({ cpuPercent: 85, memoryPercent: 87.5, disks: [disk('/', 10), disk('/srv', 90)], load1: 8, cores: 4 });
    expect(result.deductions).toEqual([
      { factor: 'cpu', points: 15, detail: 'CPU at 85 %' },
      { factor: 'memory', points: 17.5, detail: 'memory at 88 %' },
      { factor: 'disk', points: 17.5, detail: '/srv at 90 %' },
      { factor: 'load', points: 7.5, detail: 'load 2.00 per core' },
    ]);
    // 100 - 57.5 = 42.5, rounded
    expect(result.score).toBe(43);
  });

  it('rounds deduction points to one decimal and the score to an integer', () => {
    const result = computeHealthScore(idle({ cpuPercent: 71.234 }));
    expect(result.deductions).toEqual([{ factor: 'cpu', points: 1.2, detail: 'CPU at 71 %' }]);
    expect(result.score).toBe(99);
  });

  it('clamps the score at 0 when deductions exceed 100', () => {
    const result = computeHealthScore({ cpuPercent: 100, memoryPercent: 100, disks: [disk('/', 100)], load1: 100, cores: 1 });
    expect(result.score).toBe(0);
    expect(result.deductions.map((d) => [d.factor, d.points])).toEqual([
      ['cpu', 30],
      ['memory', 35],
      ['disk', 35],
      ['load', 15],
    ]);
  });

  it('never rises when any input gets worse', () => {
    const levels = [0, 60, 72, 78, 85, 92, 100];
    let previous = 101;
    for (const value of levels) {
      const { score } = computeHealthScore({ cpuPercent: value, memoryPercent: value, disks: [disk('/', value)], load1: value / 25, cores: 1 });
      expect(Number.isInteger(score)).toBe(true);
      expect(score).toBeLessThanOrEqual(previous);
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(100);
      previous = score;
    }
  });

  it('uses custom weights when given', () => {
    const weights = { cpu: { from: 50, max: 10 }, memory: { from: 90, max: 50 }, disk: { from: 0, max: 20 }, load: { from: 0.5, to: 1.5, max: 40 } };
    const result = computeHealthScore({ cpuPercent: 75, memoryPercent: 80, disks: [disk('/', 50)], load1: 1, cores: 1 }, weights);
    expect(result.deductions).toEqual([
      { factor: 'cpu', points: 5, detail: 'CPU at 75 %' },
      { factor: 'disk', points: 10, detail: '/ at 50 %' },
      { factor: 'load', points: 20, detail: 'load 1.00 per core' },
    ]);
    expect(result.score).toBe(65);
  });

  it('lets any single resource degrade the host but never alone into EMERGENCY', () => {
    const worstOf = {
      cpu: idle({ cpuPercent: 100 }),
      memory: idle({ memoryPercent: 100 }),
      disk: idle({ disks: [disk('/', 100)] }),
      load: idle({ load1: 1000, cores: 1 }),
    };
    for (const sample of Object.values(worstOf)) {
      expect(bandForScore(computeHealthScore(sample).score)).not.toBe('EMERGENCY');
    }
    expect(bandForScore(computeHealthScore(worstOf.cpu).score)).toBe('LEVEL_1');
    expect(bandForScore(computeHealthScore(worstOf.memory).score)).toBe('LEVEL_1');
    expect(bandForScore(computeHealthScore(worstOf.disk).score)).toBe('LEVEL_1');
  });
});

describe('systemSampleSchema', () => {
  const valid: SystemSample = {
    at: '2025-01-01T00:00:00.000Z',
    cpuPercent: 12.5,
    memoryPercent: 40,
    memoryUsedBytes: 4e9,
    memoryTotalBytes: 1e10,
    load1: 0.5,
    load5: 0.4,
    load15: 0.3,
    cores: 8,
    processes: 200,
    threads: 900,
    uptimeSeconds: 3600,
    disks: [disk('/', 30)],
  };

  it('accepts a well-formed sample', () => {
    expect(systemSampleSchema.parse(valid)).toEqual(valid);
  });

  it.each<[string, Partial<SystemSample>]>([
    ['cpu above 100', { cpuPercent: 101 }],
    ['negative memory', { memoryPercent: -1 }],
    ['zero cores', { cores: 0 }],
    ['fractional cores', { cores: 1.5 }],
    ['negative load', { load1: -0.1 }],
    ['disk above 100', { disks: [disk('/', 100.5)] }],
  ])('rejects %s', (_label, change) => {
    expect(systemSampleSchema.safeParse({ ...valid, ...change }).success).toBe(false);
  });
});
