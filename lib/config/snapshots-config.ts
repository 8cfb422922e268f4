import { z } from 'zod';
import { snapshotNameSchema } from '../recovery/snapshot-schema';
import { argvSchema } from './argv';
import { offsiteListSchema } from './offsite-config';
import { refusePath, treeRootProblem } from './path-rules';

// Kept apart from config-schema.ts, which reaches node:net through the defense's address parsing,
// so the console's settings page can check a snapshots section in the browser.
export const healthCheckSchema = z.union([
  z.object({ http: z.url(), expectStatus: z.number().int().min(100).max(599).optional() }).strict(),
  z.object({ tcp: z.string().regex(/^[^\s:]+:\d{1,5}$|^\[[0-9a-f:]+\]:\d{1,5}$/i, 'must be host:port') }).strict(),
  z.object({ command: argvSchema }).strict(),
]);
export type HealthCheckConfig = z.infer<typeof healthCheckSchema>;

export const snapshotSourceSchema = z
  .object({
    name: snapshotNameSchema,
    path: z.string().min(1).superRefine(refusePath(treeRootProblem)),
    exclude: z.array(z.string().min(1)).default([]),
  })
  .strict();

export const snapshotsConfigSchema = z
  .object({
    /** Where blobs and manifests live; default <data dir>/snapshots. */
    store: z.string().min(1).optional(),
    sources: z.array(snapshotSourceSchema).default([]),
    /** Settings and the rest of Vigil's own state go into every snapshot. */
    includeVigilState: z.boolean().default(true),
    retention: z
      .object({ keepLast: z.number().int().min(1).default(10), daily: z.number().int().min(0).default(7), weekly: z.number().int().min(0).default(4) })
      .strict()
      .default({ keepLast: 10, daily: 7, weekly: 4 }),
    schedule: z
      .object({
        everyMinutes: z
          .number()
          .int()
          .min(5)
          .max(7 * 24 * 60),
        tag: z.enum(['scheduled', 'golden', 'safe']).default('scheduled'),
      })
      .strict()
      .nullable()
      .default(null),
    verifyEveryHours: z
      .number()
      .positive()
      .max(24 * 30)
      .default(24),
    /** The dashboard warns when the newest verified golden snapshot is older than this. */
    goldenMaxAgeHours: z
      .number()
      .positive()
      .max(24 * 365)
      .default(168),
    hooks: z
      .object({ stop: argvSchema.optional(), restart: argvSchema.optional(), timeoutSeconds: z.number().positive().max(3600).default(60) })
      .strict()
      .default({ timeoutSeconds: 60 }),
    healthGate: z
      .object({ checks: z.array(healthCheckSchema).default([]), timeoutSeconds: z.number().positive().max(3600).default(30) })
      .strict()
      .default({ checks: [], timeoutSeconds: 30 }),
    /** Encrypted copies in restic repositories, for when this host's disk is lost. */
    offsite: offsiteListSchema,
    /** The restic program; found on PATH unless a path is given. */
    resticBinary: z.string().min(1).default('restic'),
  })
  .strict();
export type SnapshotsConfig = z.infer<typeof snapshotsConfigSchema>;
