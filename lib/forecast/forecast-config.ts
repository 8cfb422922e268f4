import { z } from 'zod';
import { GOVERNOR_RULES } from './governor-rules';

/** `forecast:` in vigil.config.yaml. */
export const forecastConfigSchema = z
  .object({
    /** How often risk is recomputed; the heatmap's columns are this wide at most. */
    cycleSeconds: z.number().int().min(5).max(600).default(30),
    /** How much risk history the heatmap shows. */
    historyHours: z.number().min(1).max(48).default(6),
    /** The explicit policy: governor rules whose suggestions apply without an operator. */
    autoApply: z.array(z.enum(GOVERNOR_RULES)).default([]),
  })
  .strict();
export type ForecastConfig = z.infer<typeof forecastConfigSchema>;
