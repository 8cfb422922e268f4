import { describe, expect, it } from 'vitest';
import { DEGRADATION_LEVELS, FEATURES } from './degradation';
import { historyQuerySchema, HISTORY_RANGES } from './history-range';
import { FEATURE_LABEL, LEVEL_STYLE, toneForScore } from './level-style';

describe('level styles', () => {
  it('gives every level a label, a summary and a tone that worsens with the level', () => {
    const tones = DEGRADATION_LEVELS.map((l) => LEVEL_STYLE[l].tone);
    expect(tones).toEqual(['ok', 'warn', 'orange', 'bad', 'crit']);
    for (const level of DEGRADATION_LEVELS) expect(LEVEL_STYLE[level].summary.length).toBeGreaterThan(5);
  });

  it('colours a score by the band it falls in', () => {
    expect([100, 80, 79, 65, 64, 50, 49, 30, 29, 0].map(toneForScore)).toEqual(['ok', 'ok', 'warn', 'warn', 'orange', 'orange', 'bad', 'bad', 'crit', 'crit']);
  });

  it('labels every feature', () => {
    for (const feature of FEATURES) expect(FEATURE_LABEL[feature]).toBeTruthy();
  });
});

describe('history ranges', () => {
  it('defaults to 15 minutes and rejects unknown ranges', () => {
    expect(historyQuerySchema.parse({})).toEqual({ range: '15m' });
    expect(historyQuerySchema.parse({ range: '24h' })).toEqual({ range: '24h' });
    expect(historyQuerySchema.safeParse({ range: '2y' }).success).toBe(false);
    expect(HISTORY_RANGES['1h']).toBe(3_600_000);
  });
});
