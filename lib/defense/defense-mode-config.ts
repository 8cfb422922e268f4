import { z } from 'zod';

/**
 * How long automatic isolations last and when the mode rises to ELEVATED. Pure zod (no address
 * parsing), so the console checks them in the browser with the file's own rules.
 */
export const isolationConfigSchema = z
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
  .default({ baseHours: 4, factor: 2, maxHours: 168, widestOperatorPrefix: { ipv4: 16, ipv6: 48 } });
export type IsolationConfig = z.infer<typeof isolationConfigSchema>;

export const elevatedConfigSchema = z
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
  .default({ threats: 5, windowMinutes: 10, capacityFactor: 0.5, calmMinutes: 30 });
export type ElevatedConfig = z.infer<typeof elevatedConfigSchema>;
