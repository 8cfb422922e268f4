import { z } from 'zod';
import type { DegradationLevel } from './degradation';

export const HISTORY_RANGES = {
  '15m': 15 * 60_000,
  '1h': 3_600_000,
  '6h': 6 * 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
} as const;
export type HistoryRange = keyof typeof HISTORY_RANGES;
export const historyRangeSchema = z.enum(Object.keys(HISTORY_RANGES) as [HistoryRange, ...HistoryRange[]]);
export const historyQuerySchema = z.object({ range: historyRangeSchema.default('15m') });

/** One point of the resource charts: a raw sample, or a minute roll-up for long ranges. */
export interface HealthPoint {
  at: string;
  cpu: number;
  memory: number;
  disk: number;
  load1: number;
  score: number;
  degradation: DegradationLevel;
}
