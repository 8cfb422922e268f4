import { z } from 'zod';
import { signalKindSchema } from './signals';

/**
 * A detector, shaped like a CrowdSec scenario (filter on kinds, group by, capacity): each
 * matching signal counts for its group, and `capacity` signals within any `windowSeconds`
 * (a sliding window rather than a leaky bucket, so "100 per minute" means exactly that) is a threat.
 */
export const scenarioSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9_-]{1,64}$/, 'lowercase letters, digits, _ and -'),
    kinds: z.array(signalKindSchema).min(1),
    groupBy: z.enum(['ip', 'cidr24', 'user', 'token']).default('ip'),
    capacity: z.number().int().min(1).max(1_000_000),
    windowSeconds: z
      .number()
      .int()
      .min(1)
      .max(7 * 86_400)
      .default(60),
    level: z.enum(['medium', 'high', 'critical']),
    /** Pour only values not yet in the bucket (scanning counts distinct paths). */
    distinct: z.enum(['path']).optional(),
    /** The group must also hold this share of all matching signals (a source dominating errors). */
    minShare: z.number().min(0).max(1).optional(),
    /**
     * Count only while the host is under pressure (CPU or memory at or over these): "a source
     * behind a CPU or memory spike" is the one sending most of the requests during it.
     */
    whenHost: z
      .object({ cpuPercent: z.number().min(1).max(100).optional(), memoryPercent: z.number().min(1).max(100).optional() })
      .strict()
      .optional(),
    /** After a threat, the same bucket stays quiet this long (CrowdSec's blackhole). */
    blackholeSeconds: z.number().int().min(0).max(86_400).default(60),
  })
  .strict();
export type Scenario = z.infer<typeof scenarioSchema>;
