import path from 'node:path';
import { z } from 'zod';

/** Where the audit checkpoint key lives: read by the worker and by the CLI, never by the web app. */
export const auditKeyEnvShape = {
  VIGIL_AUDIT_KEY_PATH: z.string().min(1).optional(),
};

export const auditEnvShape = {
  ...auditKeyEnvShape,
  VIGIL_AUDIT_CHECKPOINT_EVERY: z.coerce
    .number({ message: 'must be a whole number of events' })
    .int()
    .min(1, 'must be at least 1')
    .max(10_000_000)
    .default(1000),
  VIGIL_AUDIT_CHECKPOINT_MINUTES: z.coerce
    .number({ message: 'must be a number of minutes' })
    .positive('must be more than 0')
    .max(24 * 60)
    .default(10),
  VIGIL_AUDIT_RETENTION_DAYS: z.coerce.number({ message: 'must be a number of days (0 keeps forever)' }).min(0).max(36_500).default(0),
};

export interface AuditEnv {
  /** PEM file with the Ed25519 key that signs checkpoints; kept apart from the database. */
  auditKeyPath: string;
  auditCheckpointEvery: number;
  auditCheckpointMs: number;
  /** 0 keeps every event forever. */
  auditRetentionMs: number;
}

export function resolveAuditKeyPath(dataDir: string, raw: { VIGIL_AUDIT_KEY_PATH?: string }): string {
  return path.resolve(raw.VIGIL_AUDIT_KEY_PATH ?? path.join(dataDir, 'audit-signing.key'));
}

export function resolveAuditEnv(
  dataDir: string,
  raw: { VIGIL_AUDIT_KEY_PATH?: string; VIGIL_AUDIT_CHECKPOINT_EVERY: number; VIGIL_AUDIT_CHECKPOINT_MINUTES: number; VIGIL_AUDIT_RETENTION_DAYS: number },
): AuditEnv {
  return {
    auditKeyPath: resolveAuditKeyPath(dataDir, raw),
    auditCheckpointEvery: raw.VIGIL_AUDIT_CHECKPOINT_EVERY,
    auditCheckpointMs: raw.VIGIL_AUDIT_CHECKPOINT_MINUTES * 60_000,
    auditRetentionMs: raw.VIGIL_AUDIT_RETENTION_DAYS * 86_400_000,
  };
}
