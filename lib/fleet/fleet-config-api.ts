import { z } from 'zod';
import { auditText, operatorReasonSchema } from '../audit/audit-payload';
import { integrityPathSchema } from '../config/integrity-config';
import { logFileSchema } from '../config/logs-config';
import { snapshotSourceSchema } from '../config/snapshots-config';
import { moduleSchema } from '../healing/module-schema';
import { hostLabelsSchema } from './fleet-api';

/**
 * Configuration the console assigns to hosts: each part replaces the same part of the host's own
 * file whole. Every item is checked by the file's own schema (and its hostile-path rules), on the
 * console when it is saved and again on the agent before it is applied.
 */
export const FLEET_CONFIG_PARTS = ['modules', 'integrityPaths', 'logSources', 'snapshotSources'] as const;
export type FleetConfigPart = (typeof FLEET_CONFIG_PARTS)[number];

/** A pushed path has no file to be relative to: it must say where it is on the host. */
const absolute = <T extends { path: string }>(item: T, ctx: z.RefinementCtx) => {
  if (!item.path.startsWith('/'))
    ctx.addIssue({ code: 'custom', path: ['path'], message: 'must be an absolute path (there is no file for it to be relative to)' });
};

const uniqueBy =
  <T>(key: (item: T) => string, what: string) =>
  (items: T[], ctx: z.RefinementCtx) => {
    const seen = new Set<string>();
    items.forEach((item, index) => {
      if (seen.has(key(item))) ctx.addIssue({ code: 'custom', path: [index], message: `a second ${what} named ${key(item)}` });
      seen.add(key(item));
    });
  };

export const fleetConfigContentSchema = z
  .object({
    modules: z
      .array(moduleSchema)
      .max(500)
      .superRefine(uniqueBy((module) => module.name, 'module'))
      .optional(),
    integrityPaths: z.array(integrityPathSchema.superRefine(absolute)).max(500).optional(),
    logSources: z.array(logFileSchema.superRefine(absolute)).max(200).optional(),
    snapshotSources: z
      .array(snapshotSourceSchema.superRefine(absolute))
      .max(200)
      .superRefine(uniqueBy((source) => source.name, 'snapshot source'))
      .optional(),
  })
  // Empty: the assignment no longer sets anything (the host's file applies again for it).
  .strict();
export type FleetConfigContent = z.infer<typeof fleetConfigContentSchema>;

/** One host, or every host carrying all these labels. */
export const fleetConfigTargetSchema = z.union([
  z.object({ hostId: z.number().int().positive() }).strict(),
  z.object({ labels: hostLabelsSchema.refine((labels) => Object.keys(labels).length > 0, 'name at least one label') }).strict(),
]);
export type FleetConfigTarget = z.infer<typeof fleetConfigTargetSchema>;

export const fleetConfigSaveSchema = z.object({ target: fleetConfigTargetSchema, content: fleetConfigContentSchema, reason: operatorReasonSchema }).strict();
export type FleetConfigSave = z.infer<typeof fleetConfigSaveSchema>;

export const fleetConfigRollbackSchema = z.object({ version: z.number().int().positive(), reason: operatorReasonSchema }).strict();
export type FleetConfigRollback = z.infer<typeof fleetConfigRollbackSchema>;

export const fleetConfigIdParamSchema = z.coerce.number().int().positive();

export const fleetConfigVersionViewSchema = z.object({
  /** Fleet-wide and increasing: a host's applied revision is one of these. */
  revision: z.number(),
  version: z.number(),
  actor: z.string(),
  reason: z.string(),
  createdAt: z.string(),
  /** The version this one put back, for a rollback. */
  restoredVersion: z.number().nullable(),
  content: z.record(z.string(), z.unknown()),
});
export type FleetConfigVersionView = z.infer<typeof fleetConfigVersionViewSchema>;

export const fleetConfigAssignmentViewSchema = z.object({
  id: z.number(),
  target: z.union([z.object({ hostId: z.number() }), z.object({ labels: z.record(z.string(), z.string()) })]),
  current: fleetConfigVersionViewSchema,
});
export type FleetConfigAssignmentView = z.infer<typeof fleetConfigAssignmentViewSchema>;

export const FLEET_CONFIG_HOST_STATES = ['none', 'pending', 'applied', 'rejected'] as const;
export type FleetConfigHostState = (typeof FLEET_CONFIG_HOST_STATES)[number];

export const fleetConfigHostViewSchema = z.object({
  hostId: z.number(),
  name: z.string(),
  /** The revision of the host's effective assignment; 0 when nothing is assigned. */
  assignedRevision: z.number(),
  appliedRevision: z.number().nullable(),
  state: z.enum(FLEET_CONFIG_HOST_STATES),
  reason: z.string().nullable(),
  /** For each part assigned, the assignment it comes from. */
  parts: z.record(z.string(), z.object({ assignmentId: z.number(), version: z.number() })),
});
export type FleetConfigHostView = z.infer<typeof fleetConfigHostViewSchema>;

/** What the console signs for one host: its whole effective assignment at one revision, with a nonce and an expiry. */
export const fleetConfigPushSchema = z
  .object({
    nonce: z.string().length(43),
    hostId: z.number().int().positive(),
    issuedAt: z.string(),
    expiresAt: z.string(),
    revision: z.number().int().positive(),
    content: z.record(z.string(), z.unknown()),
  })
  .strict();
export type FleetConfigPush = z.infer<typeof fleetConfigPushSchema>;

export const signedFleetConfigPushSchema = z.object({ push: fleetConfigPushSchema, signature: z.string().max(200) }).strict();
export type SignedFleetConfigPush = z.infer<typeof signedFleetConfigPushSchema>;

/** Agent → console: the revision it applied, or why it refused one. */
export const fleetConfigAckSchema = z
  .object({
    revision: z.number().int().min(0),
    ok: z.boolean(),
    // Recorded in the audit chain as the reason: the chain's text rules apply.
    reason: auditText().max(2000).optional(),
  })
  .strict();
export type FleetConfigAck = z.infer<typeof fleetConfigAckSchema>;

export const FLEET_CONFIG_EVENTS = { push: 'fleet:config', ack: 'fleet:config-ack' } as const;
