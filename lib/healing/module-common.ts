import { z } from 'zod';
import { argvSchema } from '../config/argv';
import { conditionSchema } from './conditions/condition-schema';

export const moduleNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'letters, digits, . _ - (up to 63), starting with a letter or digit');

export const AUTONOMY_TIERS = ['auto', 'review', 'approval'] as const;
/** auto: act; review: act and flag for an operator to review; approval: wait for an operator. */
export const autonomySchema = z.enum(AUTONOMY_TIERS);
export type Autonomy = z.infer<typeof autonomySchema>;

/** The default detection thresholds; each module may override any of them. */
export const detectionSchema = z
  .object({
    errorRate: z.number().min(0).max(1).default(0.05),
    errorWindowSeconds: z.number().min(10).max(3600).default(60),
    latencyFactor: z.number().min(1.1).max(100).default(2),
    /** And at least this many milliseconds over the baseline: 2 ms → 5 ms on loopback is noise, not degradation. */
    latencyFloorMs: z.number().min(0).max(60_000).default(25),
    heartbeatSeconds: z.number().min(1).max(86_400).default(30),
    /** For supervised processes: CPU of one core and share of host memory, sustained this long. */
    cpuPercent: z.number().min(1).max(6400).default(90),
    memoryPercent: z.number().min(1).max(100).default(95),
    sustainSeconds: z.number().min(1).max(86_400).default(120),
  })
  .strict();

/**
 * The restart budget is a rate: at most `maxAttempts` automatic restarts in any `windowSeconds`
 * (a kill every few seconds is a crash loop, a kill an hour after the last one is not). Between
 * restarts inside the window, CrashLoop-style back-off: 1 s doubling to 5 min (Kubernetes' numbers);
 * the first restart after a quiet window is immediate.
 */
export const restartPolicySchema = z
  .object({
    initialBackoffSeconds: z.number().min(0).max(60).default(1),
    maxBackoffSeconds: z.number().min(1).max(3600).default(300),
    resetAfterSeconds: z
      .number()
      .min(1)
      .max(86_400)
      .default(600)
      .describe('the window when windowSeconds is not given (its earlier name): restarts older than this are forgotten'),
    maxAttempts: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(5)
      .describe('automatic restarts allowed in any windowSeconds; one more and the incident goes to people'),
    windowSeconds: z.number().min(1).max(86_400).optional().describe('the sliding window of the restart budget; default resetAfterSeconds (600)'),
    /** A restart command or hook that has not finished by then has failed. */
    timeoutSeconds: z.number().min(1).max(600).default(30),
  })
  .strict()
  // Configurations written before the window had its own key keep their meaning.
  .transform((policy) => ({ ...policy, windowSeconds: policy.windowSeconds ?? policy.resetAfterSeconds }));

export const maintenanceWindowConfigSchema = z.union([
  z.object({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) }).strict(),
  z
    .object({
      days: z.array(z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])).min(1),
      start: z.string().regex(/^\d{2}:\d{2}$/, 'HH:MM'),
      end: z.string().regex(/^\d{2}:\d{2}$/, 'HH:MM'),
      timezone: z.string().default('UTC'),
    })
    .strict(),
]);

export const moduleCommon = {
  name: moduleNameSchema,
  intervalSeconds: z.number().min(1).max(3600).default(30),
  timeoutSeconds: z.number().min(0.1).max(300).default(10),
  critical: z.boolean().default(false),
  dependsOn: z.array(moduleNameSchema).max(20).default([]),
  failureThreshold: z.number().int().min(1).max(100).default(3),
  successThreshold: z.number().int().min(1).max(100).default(1),
  maintenance: z.array(maintenanceWindowConfigSchema).max(20).default([]),
  autonomy: autonomySchema.default('auto'),
  /** Probe and report, never act. */
  observeOnly: z.boolean().default(false),
  detection: detectionSchema.default(detectionSchema.parse({})),
  restartPolicy: restartPolicySchema.default(restartPolicySchema.parse({})),
  /** How to restart what Vigil does not own: an argv command, or an HTTP hook it POSTs to. */
  restart: z.union([z.object({ command: argvSchema }).strict(), z.object({ http: z.url() }).strict()]).optional(),
  repair: z.object({ command: argvSchema }).strict().optional(),
  configSync: z.object({ command: argvSchema }).strict().optional(),
  /** Gatus-style conditions, all of which must hold, e.g. `[STATUS] == 200`, `[BODY].queue.depth < 5000`. */
  conditions: z.array(conditionSchema).max(20).default([]),
};
