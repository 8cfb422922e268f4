import { z } from 'zod';
import { auditText, operatorReasonSchema } from '../audit/audit-payload';
import { canonicalSourceSchema } from '../defense/defense-api';
import { moduleNameSchema } from '../healing/module-common';
import { snapshotNameSchema } from '../recovery/snapshot-schema';

/**
 * What an operator may ask hosts of the fleet to do, besides the fleet-wide isolation the console
 * sends by itself. One schema per kind, used alike by the console's route (the request), the
 * signed command (with the command id and the operator added) and the agent that carries it out.
 */
export const fleetRestartModuleSchema = z.object({ kind: z.literal('restart-module'), module: moduleNameSchema, reason: operatorReasonSchema }).strict();
export const fleetReleaseSchema = z.object({ kind: z.literal('release'), source: canonicalSourceSchema, reason: operatorReasonSchema }).strict();
export const fleetLockdownSchema = z.object({ kind: z.literal('lockdown'), reason: operatorReasonSchema }).strict();
export const fleetLiftLockdownSchema = z.object({ kind: z.literal('lift-lockdown'), reason: operatorReasonSchema }).strict();
export const fleetSnapshotCreateSchema = z
  .object({ kind: z.literal('snapshot-create'), name: snapshotNameSchema, golden: z.boolean().default(false) })
  .strict();
export const fleetSnapshotRestoreSchema = z
  .object({ kind: z.literal('snapshot-restore'), snapshot: snapshotNameSchema, reason: operatorReasonSchema })
  .strict();
/** An isolation on chosen hosts; `durationMinutes` absent: until released. */
export const fleetIsolateRequestSchema = z
  .object({
    kind: z.literal('isolate'),
    source: canonicalSourceSchema,
    reason: operatorReasonSchema,
    durationMinutes: z
      .number()
      .int()
      .min(1)
      .max(365 * 24 * 60)
      .optional(),
  })
  .strict();

/** The body's `action` of `POST /api/v1/fleet/commands`. */
export const fleetActionRequestSchema = z.discriminatedUnion('kind', [
  fleetIsolateRequestSchema,
  fleetRestartModuleSchema,
  fleetReleaseSchema,
  fleetLockdownSchema,
  fleetLiftLockdownSchema,
  fleetSnapshotCreateSchema,
  fleetSnapshotRestoreSchema,
]);
export type FleetActionRequest = z.infer<typeof fleetActionRequestSchema>;
export type FleetActionKind = FleetActionRequest['kind'];

/** Kinds whose effect is a state (idempotent): a host that was away receives them when it is back. */
export const DURABLE_FLEET_KINDS: ReadonlySet<FleetActionKind> = new Set(['isolate', 'release', 'lockdown', 'lift-lockdown']);
/** A state (lockdown, isolation, release) may reach a host that was away for up to a day. */
export const DURABLE_FLEET_COMMAND_TTL_MS = 24 * 3_600_000;
export { ADMIN_FLEET_KINDS } from './fleet-kinds';

const signedExtras = { commandId: z.string().uuid(), actor: z.string().min(1).max(200) };
/** As signed into a command: the request plus the command's id and the operator who asked. */
export const fleetOperatorWireActionSchema = z.discriminatedUnion('kind', [
  fleetRestartModuleSchema.extend(signedExtras),
  fleetReleaseSchema.extend(signedExtras),
  fleetLockdownSchema.extend(signedExtras),
  fleetLiftLockdownSchema.extend(signedExtras),
  fleetSnapshotCreateSchema.extend(signedExtras),
  fleetSnapshotRestoreSchema.extend(signedExtras),
]);
export type FleetOperatorWireAction = z.infer<typeof fleetOperatorWireActionSchema>;

export const FLEET_RESULT_STATUSES = ['accepted', 'progress', 'succeeded', 'failed', 'refused'] as const;
export type FleetResultStatus = (typeof FLEET_RESULT_STATUSES)[number];

export const fleetCommandProgressSchema = z
  .object({
    phase: z.string().max(40),
    filesDone: z.number().int().min(0),
    filesTotal: z.number().int().min(0),
    bytesDone: z.number().min(0),
    bytesTotal: z.number().min(0),
  })
  .strict();
export type FleetCommandProgress = z.infer<typeof fleetCommandProgressSchema>;

/** Agent → console, for a command that carries an id: one answer per step, the last one final. */
export const fleetCommandResultSchema = z.object({
  nonce: z.string().max(100).nullable(),
  commandId: z.string().uuid(),
  status: z.enum(FLEET_RESULT_STATUSES),
  // Recorded in the audit chain as the answer's reason: the chain's text rules apply.
  message: auditText().max(2000),
  progress: fleetCommandProgressSchema.optional(),
});
export type FleetCommandResult = z.infer<typeof fleetCommandResultSchema>;
