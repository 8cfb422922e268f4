import { z } from 'zod';

export const DEGRADATION_LEVELS = ['NORMAL', 'LEVEL_1', 'LEVEL_2', 'LEVEL_3', 'EMERGENCY'] as const;
export const degradationLevelSchema = z.enum(DEGRADATION_LEVELS);
export type DegradationLevel = z.infer<typeof degradationLevelSchema>;

export const FEATURES = ['core', 'analytics', 'background_tasks', 'ai_inference', 'web_search', 'uploads', 'integrations'] as const;
export type Feature = (typeof FEATURES)[number];

/** Lowest score of each band (NORMAL 80-100 … EMERGENCY < 30). */
export const BAND_FLOORS: Record<DegradationLevel, number> = {
  NORMAL: 80,
  LEVEL_1: 65,
  LEVEL_2: 50,
  LEVEL_3: 30,
  EMERGENCY: 0,
};

/** What each level switches off, cumulatively; `core` is never switched off. */
const DISABLED_AT: Record<DegradationLevel, readonly Feature[]> = {
  NORMAL: [],
  LEVEL_1: ['analytics', 'background_tasks'],
  LEVEL_2: ['analytics', 'background_tasks', 'ai_inference', 'web_search'],
  LEVEL_3: ['analytics', 'background_tasks', 'ai_inference', 'web_search', 'uploads', 'integrations'],
  EMERGENCY: ['analytics', 'background_tasks', 'ai_inference', 'web_search', 'uploads', 'integrations'],
};

export function levelRank(level: DegradationLevel): number {
  return DEGRADATION_LEVELS.indexOf(level);
}

export function worseLevel(a: DegradationLevel, b: DegradationLevel): DegradationLevel {
  return levelRank(a) >= levelRank(b) ? a : b;
}

export function bandForScore(score: number): DegradationLevel {
  return DEGRADATION_LEVELS.find((level) => score >= BAND_FLOORS[level]) ?? 'EMERGENCY';
}

/**
 * Degrades as soon as the score enters a worse band, but recovers only once the
 * score clears the better band's floor by `hysteresis` points, so a score that
 * hovers on a boundary does not flap the level (and the audit trail) every sample.
 */
export function nextDegradationLevel(current: DegradationLevel, score: number, hysteresis = 3): DegradationLevel {
  const band = bandForScore(score);
  if (levelRank(band) >= levelRank(current)) return band;
  let level = current;
  while (levelRank(level) > 0) {
    const better = DEGRADATION_LEVELS[levelRank(level) - 1];
    if (score < BAND_FLOORS[better] + hysteresis) break;
    level = better;
  }
  return level;
}

export interface FeatureState {
  feature: Feature;
  enabled: boolean;
}

export function disabledFeatures(level: DegradationLevel): readonly Feature[] {
  return DISABLED_AT[level];
}

export function featureMap(level: DegradationLevel): FeatureState[] {
  const disabled = new Set(DISABLED_AT[level]);
  return FEATURES.map((feature) => ({ feature, enabled: !disabled.has(feature) }));
}
