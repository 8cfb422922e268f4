import { hostname } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { auditEnvShape, resolveAuditEnv, type AuditEnv } from './audit-env';
import { commonEnvShape, parseEnv, port, resolveCommonEnv, type CommonEnv } from './common';
import { configEnvShape, resolveConfigPath } from './config-env';
import { EnvError } from './env-error';

const workerShape = {
  ...commonEnvShape,
  ...auditEnvShape,
  ...configEnvShape,
  WORKER_PORT: port.default(3001),
  WORKER_HOST: z.string().min(1).default('0.0.0.0'),
  /** A dedicated guard process answers /guard/check on this port (unset: only the worker answers it). */
  VIGIL_GUARD_PORT: port.optional(),
  VIGIL_GUARD_HOST: z.string().min(1).default('127.0.0.1'),
  VIGIL_SAMPLE_INTERVAL_MS: z.coerce
    .number({ message: 'must be a number of milliseconds' })
    .int()
    .min(250, 'must be at least 250')
    .max(3_600_000)
    .default(5000),
  VIGIL_RAW_RETENTION_HOURS: z.coerce
    .number({ message: 'must be a number of hours' })
    .positive()
    .max(24 * 365)
    .default(24),
  VIGIL_ROLLUP_RETENTION_DAYS: z.coerce.number({ message: 'must be a number of days' }).positive().max(3650).default(30),
  /** Resolved alerts and their sent messages; 0 keeps them forever. */
  VIGIL_ALERT_RETENTION_DAYS: z.coerce.number({ message: 'must be a number of days (0 keeps forever)' }).min(0).max(36_500).default(90),
  /** Ended status-page incidents and maintenance windows: a year by default, as a public history. */
  VIGIL_STATUS_POST_RETENTION_DAYS: z.coerce.number({ message: 'must be a number of days (0 keeps forever)' }).min(0).max(36_500).default(365),
  VIGIL_DEGRADATION_HYSTERESIS: z.coerce.number({ message: 'must be a number of points' }).min(0).max(20).default(3),
  VIGIL_DEGRADATION_CONFIRM_SAMPLES: z.coerce.number({ message: 'must be a whole number' }).int().min(1).max(60).default(2),
  VIGIL_DISK_MOUNTS: z.string().optional(),
  VIGIL_API_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
  /** Off for tests and for installs whose code is immutable anyway (a read-only image). */
  VIGIL_INTEGRITY_SELF: z.stringbool({ error: 'must be true or false' }).default(true),
  /** Several workers on one PostgreSQL database, one of them elected leader. */
  VIGIL_HA: z.stringbool({ error: 'must be true or false' }).default(false),
  /** PostgreSQL only: this replica's name among several workers (default: host name and process id). */
  VIGIL_NODE_ID: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,40}$/, 'must be 1-40 letters, digits, dots, dashes, colons or underscores')
    .optional(),
  /** Where the other replicas reach this worker (default: http://127.0.0.1:<WORKER_PORT>). */
  VIGIL_ADVERTISE_URL: z
    .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
    .refine((url) => /^https?:\/\/[^/?#]+\/?$/.test(url), 'must be an origin only (scheme, host and port), without a path')
    .optional(),
  /**
   * Agent mode: the console worker this worker reports to (its origin, e.g. https://console.example:3001),
   * or several replicas of it separated by commas: the agent moves to the next when one is unreachable.
   */
  VIGIL_CONSOLE_URL: z
    .string()
    .transform((list) => list.split(',').map((url) => url.trim()))
    .pipe(
      z
        .array(
          z
            .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
            .refine((url) => /^https?:\/\/[^/?#]+\/?$/.test(url), 'must be an origin only (scheme, host and port), without a path'),
        )
        .min(1)
        .max(16, 'at most 16 console URLs'),
    )
    .optional(),
  /** Console: the fleet's Ed25519 key (default <data dir>/fleet/console.key); replicas of one console share it. */
  VIGIL_FLEET_KEY_PATH: z.string().min(1).optional(),
  /** Agent mode, first start only: the token an admin created on the console. */
  VIGIL_ENROLLMENT_TOKEN: z.string().min(1).max(200).optional(),
  /** Agent mode: the name the console lists this host by (default: the host name). */
  VIGIL_AGENT_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,63}$/, 'must be 1-63 letters, digits, dots, dashes or underscores')
    .optional(),
  VIGIL_FLEET_HEARTBEAT_MS: z.coerce.number({ message: 'must be a number of milliseconds' }).int().min(200).max(300_000).default(5000),
  /** Console: enrollment attempts one source address may make per minute (POST /api/v1/fleet/agents); more get a 429. */
  VIGIL_FLEET_ENROLLMENTS_PER_MINUTE: z.coerce.number({ message: 'must be a whole number' }).int().min(1).max(100_000).default(30),
};

export interface WorkerEnv extends CommonEnv, AuditEnv {
  port: number;
  host: string;
  /** Where the dedicated guard process listens; null: no such process (0 in tests: any free port). */
  guardListen: { host: string; port: number } | null;
  sampleIntervalMs: number;
  rawRetentionMs: number;
  rollupRetentionMs: number;
  /** 0: kept forever. */
  alertRetentionMs: number;
  /** 0: kept forever. */
  statusPostRetentionMs: number;
  hysteresis: number;
  confirmSamples: number;
  diskMounts: string[] | null;
  apiToken: string | null;
  /** Watch Vigil's own code and config file for tampering (file integrity). */
  integritySelf: boolean;
  configPath: string;
  /** Run as one replica among several (PostgreSQL): elect a leader, stand by otherwise. */
  ha: boolean;
  nodeId: string;
  /** Null: derived from the port once the worker listens (a port of 0 is chosen then). */
  advertiseUrl: string | null;
  /** Agent mode when set: enroll with the console and connect out to it. */
  fleet: { consoleUrl: string; consoleUrls: string[]; enrollmentToken: string | null; agentName: string; heartbeatMs: number } | null;
  /** Console: the fleet's signing key, the same file for every replica. */
  fleetKeyPath: string;
  /** Console: enrollment attempts per source address and minute. */
  enrollmentsPerMinute: number;
}

export function loadWorkerEnv(source: Record<string, string | undefined> = process.env): WorkerEnv {
  const raw = parseEnv(workerShape, source);
  const common = resolveCommonEnv(raw);
  if (raw.VIGIL_HA && common.databaseProvider !== 'postgresql')
    throw new EnvError('VIGIL_HA: several workers need a shared PostgreSQL database (DATABASE_URL=postgresql://…); SQLite serves one worker');
  return {
    ...common,
    ...resolveAuditEnv(common.dataDir, raw),
    port: raw.WORKER_PORT,
    host: raw.WORKER_HOST,
    guardListen: raw.VIGIL_GUARD_PORT === undefined ? null : { host: raw.VIGIL_GUARD_HOST, port: raw.VIGIL_GUARD_PORT },
    sampleIntervalMs: raw.VIGIL_SAMPLE_INTERVAL_MS,
    rawRetentionMs: raw.VIGIL_RAW_RETENTION_HOURS * 3_600_000,
    rollupRetentionMs: raw.VIGIL_ROLLUP_RETENTION_DAYS * 86_400_000,
    alertRetentionMs: raw.VIGIL_ALERT_RETENTION_DAYS * 86_400_000,
    statusPostRetentionMs: raw.VIGIL_STATUS_POST_RETENTION_DAYS * 86_400_000,
    hysteresis: raw.VIGIL_DEGRADATION_HYSTERESIS,
    confirmSamples: raw.VIGIL_DEGRADATION_CONFIRM_SAMPLES,
    diskMounts: raw.VIGIL_DISK_MOUNTS
      ? raw.VIGIL_DISK_MOUNTS.split(',')
          .map((m) => m.trim())
          .filter(Boolean)
      : null,
    apiToken: raw.VIGIL_API_TOKEN ?? null,
    integritySelf: raw.VIGIL_INTEGRITY_SELF,
    configPath: resolveConfigPath(raw),
    ha: raw.VIGIL_HA,
    nodeId: raw.VIGIL_NODE_ID ?? `${hostname().slice(0, 30)}-${process.pid}`,
    advertiseUrl: raw.VIGIL_ADVERTISE_URL?.replace(/\/+$/, '') ?? null,
    enrollmentsPerMinute: raw.VIGIL_FLEET_ENROLLMENTS_PER_MINUTE,
    fleetKeyPath: path.resolve(raw.VIGIL_FLEET_KEY_PATH ?? path.join(common.dataDir, 'fleet', 'console.key')),
    fleet: raw.VIGIL_CONSOLE_URL
      ? {
          consoleUrl: raw.VIGIL_CONSOLE_URL[0]!.replace(/\/+$/, ''),
          consoleUrls: raw.VIGIL_CONSOLE_URL.map((url) => url.replace(/\/+$/, '')),
          enrollmentToken: raw.VIGIL_ENROLLMENT_TOKEN ?? null,
          agentName:
            raw.VIGIL_AGENT_NAME ??
            hostname()
              .replace(/[^A-Za-z0-9_.-]/g, '-')
              .slice(0, 63),
          heartbeatMs: raw.VIGIL_FLEET_HEARTBEAT_MS,
        }
      : null,
  };
}
