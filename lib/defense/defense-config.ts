import { z } from 'zod';
import { scenarioSchema, type Scenario } from './scenario-schema';
import { parseSource } from './ip-prefix';
import { blocklistsSchema } from './blocklist-config';
import { elevatedConfigSchema, isolationConfigSchema } from './defense-mode-config';

/** An address or CIDR range; a bad one is reported with its value. */
export const ipOrCidrSchema = z
  .string()
  .trim()
  .max(64)
  .refine((value) => parseSource(value) !== null, { error: (issue) => `"${String(issue.input)}" is not an IP address or CIDR range` });

export { scenarioSchema, type Scenario };

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
    isolation: isolationConfigSchema,
    elevated: elevatedConfigSchema,
    /** Each guard check counts as a request of its source. */
    countGuardRequests: z.boolean().default(true),
    blocklists: blocklistsSchema,
  })
  .strict();
export type DefenseConfig = z.infer<typeof defenseConfigSchema>;

export const trustedProxiesSchema = z.array(ipOrCidrSchema).max(1000);
export const allowlistSchema = z.array(ipOrCidrSchema).max(100_000);
