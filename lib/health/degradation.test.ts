import { describe, expect, it } from 'vitest';
import {
  BAND_FLOORS,
  DEGRADATION_LEVELS,
  FEATURES,
  bandForScore,
  degradationLevelSchema,
  disabledFeatures,
  featureMap,
  levelRank,
  nextDegradationLevel,
  worseLevel,
  type DegradationLevel,
  type Feature,
} from './degradation';

describe('levels', () => {
  it('ranks levels from NORMAL (0) to EMERGENCY (4)', () => {
    expect(DEGRADATION_LEVELS.map(levelRank)).toEqual([0, 1, 2, 3, 4]);
    expect(levelRank('NORMAL')).toBe(0);
    expect(levelRank('EMERGENCY')).toBe(4);
  });

  it('has band floors NORMAL 80, LEVEL_1 65, LEVEL_2 50, LEVEL_3 30, EMERGENCY 0', () => {
    expect(BAND_FLOORS).toEqual({ NORMAL: 80, LEVEL_1: 65, LEVEL_2: 50, LEVEL_3: 30, EMERGENCY: 0 });
  });

  it('parses known levels and rejects others', () => {
    expect(degradationLevelSchema.parse('LEVEL_2')).toBe('LEVEL_2');
    expect(degradationLevelSchema.safeParse('LEVEL_4').success).toBe(false);
    expect(degradationLevelSchema.safeParse('normal').success).toBe(false);
  });
});

describe('bandForScore', () => {
  it.each<[number, DegradationLevel]>([
    [100, 'NORMAL'],
    [80, 'NORMAL'],
    [79, 'LEVEL_1'],
    [65, 'LEVEL_1'],
    [64, 'LEVEL_2'],
    [50, 'LEVEL_2'],
    [49, 'LEVEL_3'],
    [30, 'LEVEL_3'],
    [29, 'EMERGENCY'],
    [0, 'EMERGENCY'],
  ])('score %d is %s', (score, level) => {
    expect(bandForScore(score)).toBe(level);
  });

  it('treats fractional scores just below a floor as the worse band', () => {
    expect(bandForScore(79.9)).toBe('LEVEL_1');
    expect(bandForScore(64.99)).toBe('LEVEL_2');
    expect(bandForScore(29.5)).toBe('EMERGENCY');
  });

  it('treats negative scores as EMERGENCY', () => {
    expect(bandForScore(-5)).toBe('EMERGENCY');
  });

  it('never gets better as the score drops', () => {
    for (let score = 100; score > 0; score--) {
      expect(levelRank(bandForScore(score - 1))).toBeGreaterThanOrEqual(levelRank(bandForScore(score)));
    }
  });
});

describe('nextDegradationLevel', () => {
  it.each<[DegradationLevel, number, DegradationLevel]>([
    ['NORMAL', 79, 'LEVEL_1'],
    ['NORMAL', 64, 'LEVEL_2'],
    ['NORMAL', 49, 'LEVEL_3'],
    ['NORMAL', 10, 'EMERGENCY'],
    ['LEVEL_1', 64, 'LEVEL_2'],
    ['LEVEL_1', 49, 'LEVEL_3'],
    ['LEVEL_2', 29, 'EMERGENCY'],
    ['LEVEL_3', 0, 'EMERGENCY'],
  ])('degrades immediately: %s at %d -> %s', (current, score, expected) => {
    expect(nextDegradationLevel(current, score)).toBe(expected);
  });

  it.each<[DegradationLevel, number]>([
    ['NORMAL', 80],
    ['NORMAL', 100],
    ['LEVEL_1', 65],
    ['LEVEL_1', 79],
    ['LEVEL_2', 50],
    ['LEVEL_3', 30],
    ['EMERGENCY', 0],
  ])('stays at %s when score %d is inside its band', (current, score) => {
    expect(nextDegradationLevel(current, score)).toBe(current);
  });

  it.each<[DegradationLevel, number, DegradationLevel]>([
    ['LEVEL_1', 80, 'LEVEL_1'],
    ['LEVEL_1', 81, 'LEVEL_1'],
    ['LEVEL_1', 82, 'LEVEL_1'],
    ['LEVEL_1', 83, 'NORMAL'],
    ['LEVEL_2', 65, 'LEVEL_2'],
    ['LEVEL_2', 67, 'LEVEL_2'],
    ['LEVEL_2', 68, 'LEVEL_1'],
    ['LEVEL_3', 52, 'LEVEL_3'],
    ['LEVEL_3', 53, 'LEVEL_2'],
    ['EMERGENCY', 30, 'EMERGENCY'],
    ['EMERGENCY', 32, 'EMERGENCY'],
    ['EMERGENCY', 33, 'LEVEL_3'],
  ])('recovers only past floor + hysteresis 3: %s at %d -> %s', (current, score, expected) => {
    expect(nextDegradationLevel(current, score)).toBe(expected);
    expect(nextDegradationLevel(current, score, 3)).toBe(expected);
  });

  it.each<[DegradationLevel, number, DegradationLevel]>([
    ['EMERGENCY', 100, 'NORMAL'],
    ['EMERGENCY', 83, 'NORMAL'],
    ['EMERGENCY', 82, 'LEVEL_1'],
    ['EMERGENCY', 68, 'LEVEL_1'],
    ['EMERGENCY', 67, 'LEVEL_2'],
    ['EMERGENCY', 53, 'LEVEL_2'],
    ['LEVEL_3', 90, 'NORMAL'],
    ['LEVEL_3', 70, 'LEVEL_1'],
    ['LEVEL_2', 83, 'NORMAL'],
    ['LEVEL_2', 82, 'LEVEL_1'],
  ])('recovers several bands at once when the score allows: %s at %d -> %s', (current, score, expected) => {
    expect(nextDegradationLevel(current, score)).toBe(expected);
  });

  it('honours a custom hysteresis', () => {
    expect(nextDegradationLevel('LEVEL_1', 80, 0)).toBe('NORMAL');
    expect(nextDegradationLevel('LEVEL_1', 89, 10)).toBe('LEVEL_1');
    expect(nextDegradationLevel('LEVEL_1', 90, 10)).toBe('NORMAL');
    expect(nextDegradationLevel('EMERGENCY', 79, 0)).toBe('LEVEL_1');
    // hysteresis never delays degradation
    expect(nextDegradationLevel('NORMAL', 79, 10)).toBe('LEVEL_1');
  });

  it('does not flap while the score hovers on a boundary', () => {
    const scores = [81, 79, 80, 81, 82, 80, 79, 82, 83, 81, 80];
    const levels: DegradationLevel[] = [];
    let level: DegradationLevel = 'NORMAL';
    for (const score of scores) {
      level = nextDegradationLevel(level, score);
      levels.push(level);
    }
    expect(levels).toEqual(['NORMAL', 'LEVEL_1', 'LEVEL_1', 'LEVEL_1', 'LEVEL_1', 'LEVEL_1', 'LEVEL_1', 'LEVEL_1', 'NORMAL', 'NORMAL', 'NORMAL']);
  });

  it('never ends better than the band nor recovers past the score; degrades exactly to the band', () => {
    for (const current of DEGRADATION_LEVELS) {
      for (let score = 0; score <= 100; score++) {
        const band = bandForScore(score);
        const next = nextDegradationLevel(current, score);
        expect(levelRank(next)).toBeGreaterThanOrEqual(levelRank(band));
        if (levelRank(band) >= levelRank(current)) {
          expect(next).toBe(band);
        } else {
          expect(levelRank(next)).toBeLessThanOrEqual(levelRank(current));
          // every level it climbed to was cleared by floor + 3
          for (let rank = levelRank(next); rank < levelRank(current); rank++) {
            expect(score).toBeGreaterThanOrEqual(BAND_FLOORS[DEGRADATION_LEVELS[rank]] + 3);
          }
        }
      }
    }
  });
});

describe('features', () => {
  const expectedDisabled: Record<DegradationLevel, Feature[]> = {
    NORMAL: [],
    LEVEL_1: ['analytics', 'background_tasks'],
    LEVEL_2: ['analytics', 'background_tasks', 'ai_inference', 'web_search'],
    LEVEL_3: ['analytics', 'background_tasks', 'ai_inference', 'web_search', 'uploads', 'integrations'],
    EMERGENCY: ['analytics', 'background_tasks', 'ai_inference', 'web_search', 'uploads', 'integrations'],
  };

  it.each(DEGRADATION_LEVELS)('disabledFeatures(%s) lists exactly what that level switches off', (level) => {
    expect([...disabledFeatures(level)].sort()).toEqual([...expectedDisabled[level]].sort());
  });

  it.each(DEGRADATION_LEVELS)('featureMap(%s) lists every feature once, in order, matching disabledFeatures', (level) => {
    const map = featureMap(level);
    expect(map.map((f) => f.feature)).toEqual([...FEATURES]);
    const disabled = map.filter((f) => !f.enabled).map((f) => f.feature);
    expect(disabled.sort()).toEqual([...expectedDisabled[level]].sort());
  });

  it('enables everything at NORMAL', () => {
    expect(featureMap('NORMAL').every((f) => f.enabled)).toBe(true);
  });

  it('always keeps core enabled', () => {
    for (const level of DEGRADATION_LEVELS) {
      expect(featureMap(level).find((f) => f.feature === 'core')).toEqual({ feature: 'core', enabled: true });
      expect(disabledFeatures(level)).not.toContain('core');
    }
  });

  it('leaves only core at LEVEL_3 and EMERGENCY', () => {
    for (const level of ['LEVEL_3', 'EMERGENCY'] as const) {
      expect(
        featureMap(level)
          .filter((f) => f.enabled)
          .map((f) => f.feature),
      ).toEqual(['core']);
    }
  });

  it('is cumulative: each worse level disables a superset of the better one', () => {
    for (let rank = 1; rank < DEGRADATION_LEVELS.length; rank++) {
      const better = new Set(disabledFeatures(DEGRADATION_LEVELS[rank - 1]));
      const worse = new Set(disabledFeatures(DEGRADATION_LEVELS[rank]));
      for (const feature of better) expect(worse.has(feature)).toBe(true);
    }
  });

  it('gives a fresh map each call (callers may mutate it)', () => {
    const map = featureMap('LEVEL_1');
    map[0].enabled = false;
    expect(featureMap('LEVEL_1')[0]).toEqual({ feature: 'core', enabled: true });
  });
});

describe('worseLevel', () => {
  it.each<[DegradationLevel, DegradationLevel, DegradationLevel]>([
    ['NORMAL', 'LEVEL_1', 'LEVEL_1'],
    ['LEVEL_2', 'LEVEL_1', 'LEVEL_2'],
    ['LEVEL_3', 'EMERGENCY', 'EMERGENCY'],
    ['EMERGENCY', 'NORMAL', 'EMERGENCY'],
    ['LEVEL_2', 'LEVEL_2', 'LEVEL_2'],
  ])('worseLevel(%s, %s) = %s', (a, b, expected) => {
    expect(worseLevel(a, b)).toBe(expected);
    expect(worseLevel(b, a)).toBe(expected);
  });

  it('returns the higher-ranked of any pair', () => {
    for (const a of DEGRADATION_LEVELS) {
      for (const b of DEGRADATION_LEVELS) {
        expect(levelRank(worseLevel(a, b))).toBe(Math.max(levelRank(a), levelRank(b)));
      }
    }
  });
});
