import { z } from 'zod';
import { snapshotNameSchema } from '../recovery/snapshot-schema';
import { integrityConfigSchema, type IntegrityConfig } from './integrity-config';
import { logsConfigSchema, type LogsConfig } from './logs-config';
import { DEFAULT_TRUSTED_PROXIES } from '../net/client-address';
import { allowlistSchema, defenseConfigSchema, trustedProxiesSchema, type DefenseConfig } from '../defense/defense-config';

import { argvSchema } from './argv';
import { offsiteListSchema } from './offsite-config';
import { moduleSchema, type ModuleDefinition } from '../healing/module-schema';
import { drillsConfigSchema, type DrillsConfig } from '../drills/drill-schema';
import { escalationPolicySchema, type EscalationPolicy } from '../healing/escalation';
import { alertsConfigSchema, type AlertsConfig } from '../alerts/alert-rules';
import { notificationsConfigSchema, type NotificationsConfig } from './notifications-config';
import { statusPageSchema, type StatusPageDefinition } from '../status-pages/status-page-schema';
import { forecastConfigSchema, type ForecastConfig } from '../forecast/forecast-config';

export { argvSchema };

export const healthCheckSchema = z.union([
  z.object({ http: z.url(), expectStatus: z.number().int().min(100).max(599).optional() }).strict(),
  z.object({ tcp: z.string().regex(/^[^\s:]+:\d{1,5}$|^\[[0-9a-f:]+\]:\d{1,5}$/i, 'must be host:port') }).strict(),
  z.object({ command: argvSchema }).strict(),
]);
export type HealthCheckConfig = z.infer<typeof healthCheckSchema>;

export const snapshotSourceSchema = z
  .object({
    name: snapshotNameSchema,
    path: z.string().min(1),
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

/**
 * Each top-level section is validated on its own, so one bad section is reported and the
 * others still load. Sections owned by capabilities not configured here pass through as data.
 */
export const configSections = {
  snapshots: snapshotsConfigSchema,
  logs: logsConfigSchema,
  integrity: integrityConfigSchema,
  defense: defenseConfigSchema,
  trustedProxies: trustedProxiesSchema,
  allowlist: allowlistSchema,
  escalation: escalationPolicySchema,
  notifications: notificationsConfigSchema,
  alerts: alertsConfigSchema,
  drills: drillsConfigSchema,
  forecast: forecastConfigSchema,
} as const;

/**
 * List sections validated item by item: a bad module is reported by name and skipped, and
 * the other modules still load.
 */
export const configLists = {
  modules: moduleSchema,
  /** Public status pages; the console can add more (a slug here is the file's, never the console's). */
  statusPages: statusPageSchema,
} as const;

export interface VigilConfig {
  modules: ModuleDefinition[];
  snapshots: SnapshotsConfig;
  logs: LogsConfig;
  integrity: IntegrityConfig;
  defense: DefenseConfig;
  /** Peers whose X-Forwarded-For / X-Real-IP are believed; loopback by default, where a local proxy runs. */
  trustedProxies: string[];
  /** Sources never isolated and let through a LOCKDOWN. */
  allowlist: string[];
  escalation: EscalationPolicy;
  notifications: NotificationsConfig;
  /** Alert rules over audit events; the shipped ones apply unless `defaults: false`. */
  alerts: AlertsConfig;
  /** Scheduled chaos drills (off unless everyHours is set). */
  drills: DrillsConfig;
  forecast: ForecastConfig;
  statusPages: StatusPageDefinition[];
}

export const defaultConfig = (): VigilConfig => ({
  modules: [],
  snapshots: snapshotsConfigSchema.parse({}),
  logs: logsConfigSchema.parse({}),
  integrity: integrityConfigSchema.parse({}),
  defense: defenseConfigSchema.parse({}),
  trustedProxies: [...DEFAULT_TRUSTED_PROXIES],
  allowlist: [],
  escalation: escalationPolicySchema.parse({}),
  notifications: notificationsConfigSchema.parse({}),
  alerts: alertsConfigSchema.parse({}),
  drills: drillsConfigSchema.parse({}),
  forecast: forecastConfigSchema.parse({}),
  statusPages: [],
});
