import { integrityConfigSchema, type IntegrityConfig } from './integrity-config';
import { logsConfigSchema, type LogsConfig } from './logs-config';
import { DEFAULT_TRUSTED_PROXIES } from '../net/client-address';
import { allowlistSchema, defenseConfigSchema, trustedProxiesSchema, type DefenseConfig } from '../defense/defense-config';

import { argvSchema } from './argv';
import { healthCheckSchema, snapshotSourceSchema, snapshotsConfigSchema, type HealthCheckConfig, type SnapshotsConfig } from './snapshots-config';
import { moduleSchema, type ModuleDefinition } from '../healing/module-schema';
import { drillsConfigSchema, type DrillsConfig } from '../drills/drill-schema';
import { escalationPolicySchema, type EscalationPolicy } from '../healing/escalation';
import { alertsConfigSchema, type AlertsConfig } from '../alerts/alert-rules';
import { notificationsConfigSchema, type NotificationsConfig } from './notifications-config';
import { statusPageSchema, type StatusPageDefinition } from '../status-pages/status-page-schema';
import { forecastConfigSchema, type ForecastConfig } from '../forecast/forecast-config';

export { argvSchema };
export { healthCheckSchema, snapshotSourceSchema, snapshotsConfigSchema, type HealthCheckConfig, type SnapshotsConfig };

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
