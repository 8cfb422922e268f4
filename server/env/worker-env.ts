import { z } from 'zod';
import { auditEnvShape, resolveAuditEnv, type AuditEnv } from './audit-env';
import { commonEnvShape, parseEnv, port, resolveCommonEnv, type CommonEnv } from './common';
import { configEnvShape, resolveConfigPath } from './config-env';

const workerShape = {
  ...commonEnvShape,
  ...auditEnvShape,
  ...configEnvShape,
  WORKER_PORT: port.default(3001),
  WORKER_HOST: z.string().min(1).default('0.0.0.0'),
  VIGIL_SAMPLE_INTERVAL_MS: z.coerce.number({ message: 'must be a number of milliseconds' }).int().min(250, 'must be at least 250').max(3_600_000).default(5000),
  VIGIL_RAW_RETENTION_HOURS: z.coerce.number({ message: 'must be a number of hours' }).positive().max(24 * 365).default(24),
  VIGIL_ROLLUP_RETENTION_DAYS: z.coerce.number({ message: 'must be a number of days' }).positive().max(3650).default(30),
  VIGIL_DEGRADATION_HYSTERESIS: z.coerce.number({ message: 'must be a number of points' }).min(0).max(20).default(3),
  VIGIL_DEGRADATION_CONFIRM_SAMPLES: z.coerce.number({ message: 'must be a whole number' }).int().min(1).max(60).default(2),
  VIGIL_DISK_MOUNTS: z.string().optional(),
  VIGIL_API_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
  /** Off for tests and for installs whose code is immutable anyway (a read-only image). */
  VIGIL_INTEGRITY_SELF: z.stringbool({ error: 'must be true or false' }).default(true),
};

export interface WorkerEnv extends CommonEnv, AuditEnv {
  port: number;
  host: string;
  sampleIntervalMs: number;
  rawRetentionMs: number;
  rollupRetentionMs: number;
  hysteresis: number;
  confirmSamples: number;
  diskMounts: string[] | null;
  apiToken: string | null;
  /** Watch Vigil's own code and config file for tampering (file integrity). */
  integritySelf: boolean;
  configPath: string;
}

export function loadWorkerEnv(source: Record<string, string | undefined> = process.env): WorkerEnv {
  const raw = parseEnv(workerShape, source);
  const common = resolveCommonEnv(raw);
  return {
    ...common,
    ...resolveAuditEnv(common.dataDir, raw),
    port: raw.WORKER_PORT,
    host: raw.WORKER_HOST,
    sampleIntervalMs: raw.VIGIL_SAMPLE_INTERVAL_MS,
    rawRetentionMs: raw.VIGIL_RAW_RETENTION_HOURS * 3_600_000,
    rollupRetentionMs: raw.VIGIL_ROLLUP_RETENTION_DAYS * 86_400_000,
    hysteresis: raw.VIGIL_DEGRADATION_HYSTERESIS,
    confirmSamples: raw.VIGIL_DEGRADATION_CONFIRM_SAMPLES,
    diskMounts: raw.VIGIL_DISK_MOUNTS ? raw.VIGIL_DISK_MOUNTS.split(',').map((m) => m.trim()).filter(Boolean) : null,
    apiToken: raw.VIGIL_API_TOKEN ?? null,
    integritySelf: raw.VIGIL_INTEGRITY_SELF,
    configPath: resolveConfigPath(raw),
  };
}
