import { z } from 'zod';
import { signalKindSchema } from './signals';
import { parseSource } from './ip-prefix';
import { blocklistsSchema } from './blocklist-config';

/** An address or CIDR range; a bad one is reported with its value. */
export const ipOrCidrSchema = z
  .string()
  .trim()
  .max(64)
  .refine((value) => parseSource(value) !== null, { error: (issue) => `"${String(issue.input)}" is not an IP address or CIDR range` });

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

const scenario = (s: z.input<typeof scenarioSchema>): Scenario => scenarioSchema.parse(s);

/** Defaults: 100 requests/min warning, 500/min critical; brute force 5 failures warning, 10 critical. */
export const DEFAULT_SCENARIOS: Scenario[] = [
  scenario({ name: 'rate-abuse', kinds: ['request'], capacity: 100, level: 'high' }),
  scenario({ name: 'rate-abuse-critical', kinds: ['request'], capacity: 500, level: 'critical' }),
  // Failures count over ten minutes: ten guesses spread over ten minutes are still a brute force.
  scenario({ name: 'brute-force', kinds: ['auth_failure'], capacity: 5, windowSeconds: 600, level: 'high' }),
  scenario({ name: 'brute-force-critical', kinds: ['auth_failure'], capacity: 10, windowSeconds: 600, level: 'critical' }),
  scenario({ name: 'brute-force-user', kinds: ['auth_failure'], groupBy: 'user', capacity: 10, windowSeconds: 600, level: 'high' }),
  scenario({ name: 'scan-not-found', kinds: ['not_found'], capacity: 30, level: 'high' }),
  scenario({ name: 'scan-not-found-critical', kinds: ['not_found'], capacity: 100, level: 'critical' }),
  scenario({ name: 'scan-paths', kinds: ['request'], distinct: 'path', capacity: 150, level: 'high' }),
  scenario({ name: 'resource-abuse', kinds: ['error'], capacity: 50, minShare: 0.5, level: 'high' }),
  // The health score's exhaustion thresholds (CPU > 90 %, memory > 95 %) as the spike.
  scenario({ name: 'resource-abuse-load', kinds: ['request'], capacity: 50, minShare: 0.5, level: 'high', whenHost: { cpuPercent: 90, memoryPercent: 95 } }),
];

export const defenseConfigSchema = z
  .object({
    scenarios: z.array(scenarioSchema).default(DEFAULT_SCENARIOS),
    isolation: z
      .object({
        /** First automatic isolation; each repeat doubles it up to maxHours. */
        baseHours: z
          .number()
          .positive()
          .max(24 * 365)
          .default(4),
        factor: z.number().min(1).max(10).default(2),
        maxHours: z
          .number()
          .positive()
          .max(24 * 3650)
          .default(7 * 24),
        widestOperatorPrefix: z
          .object({ ipv4: z.number().int().min(0).max(32).default(16), ipv6: z.number().int().min(0).max(128).default(48) })
          .strict()
          .default({ ipv4: 16, ipv6: 48 })
          .describe(
            'the widest range an operator may isolate; a shorter prefix (a broader range) needs an admin, since isolating most of the internet is a lockdown by another name',
          ),
      })
      .strict()
      .default({ baseHours: 4, factor: 2, maxHours: 168, widestOperatorPrefix: { ipv4: 16, ipv6: 48 } }),
    elevated: z
      .object({
        /** High or critical threats within windowMinutes that raise the mode to ELEVATED. */
        threats: z.number().int().min(1).max(10_000).default(5),
        windowMinutes: z
          .number()
          .positive()
          .max(24 * 60)
          .default(10),
        /** Bucket capacities are multiplied by this while ELEVATED (tighter thresholds). */
        capacityFactor: z.number().positive().max(1).default(0.5),
        /** Back to NORMAL after this long without a high or critical threat. */
        calmMinutes: z
          .number()
          .positive()
          .max(24 * 60)
          .default(30),
      })
      .strict()
      .default({ threats: 5, windowMinutes: 10, capacityFactor: 0.5, calmMinutes: 30 }),
    /** Each guard check counts as a request of its source. */
    countGuardRequests: z.boolean().default(true),
    blocklists: blocklistsSchema,
  })
  .strict();
export type DefenseConfig = z.infer<typeof defenseConfigSchema>;

export const trustedProxiesSchema = z.array(ipOrCidrSchema).max(1000);
export const allowlistSchema = z.array(ipOrCidrSchema).max(100_000);
