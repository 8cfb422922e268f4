import { z } from 'zod';
import { roleSchema } from '../auth/roles';
import { ipOrCidrSchema } from './defense-config';
import { parseSource } from './ip-prefix';
import { withActor } from '../recovery/recovery-api';
import { signalKindSchema } from './signals';
import { operatorReasonSchema } from '../audit/audit-payload';

export { withActor };

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const MAX_DURATION_MS = 3650 * 86_400_000;

/** "90s", "30m", "4h", "7d" or a number of seconds. */
export const durationSchema = z.union([
  z
    .number()
    .int()
    .positive()
    .max(MAX_DURATION_MS / 1000)
    .transform((seconds) => seconds * 1000),
  z
    .string()
    .regex(/^\d{1,7}[smhd]$/, 'a duration like 90s, 30m, 4h or 7d')
    .transform((text) => Number(text.slice(0, -1)) * UNIT_MS[text.slice(-1) as keyof typeof UNIT_MS])
    .refine((ms) => ms > 0 && ms <= MAX_DURATION_MS, 'between 1 s and 10 years'),
]);

/** The canonical text of a valid address or range (`10.0.0.07` is refused, `10.1.2.3/8` becomes `10.0.0.0/8`). */
export const canonicalSourceSchema = ipOrCidrSchema.transform((value) => parseSource(value)!.text);

const reasonSchema = operatorReasonSchema;

const isolateFields = z
  .object({
    source: canonicalSourceSchema,
    /** Omitted (and not indefinite): the repeat-offender schedule (4 h, doubling). */
    duration: durationSchema.optional(),
    indefinite: z.boolean().default(false),
    reason: reasonSchema,
  })
  .strict();
const oneOfDurationOrIndefinite = (body: { indefinite: boolean; duration?: number }) => !(body.indefinite && body.duration !== undefined);
const durationConflict = { message: 'give either a duration or indefinite, not both', path: ['duration'] };

export const isolateRequestSchema = isolateFields
  .extend({
    /** `fleet`: every host of the fleet isolates it too, and hosts that connect later receive it. */
    scope: z.enum(['host', 'fleet']).default('host'),
  })
  .refine(oneOfDurationOrIndefinite, durationConflict);
/** The web app says whose role asks; a caller that does not gets the least role that isolates at all. */
export const internalIsolateRequestSchema = withActor(isolateFields.extend({ role: roleSchema.default('operator') })).refine(
  oneOfDurationOrIndefinite,
  durationConflict,
);
export type IsolateRequest = z.infer<typeof isolateRequestSchema>;

export const restoreRequestSchema = z.object({ reason: reasonSchema.default('restored by operator') }).strict();

export const lockdownRequestSchema = z
  .object({
    reason: reasonSchema,
    /** ISO time when the lockdown ends by itself; omitted: until lifted. */
    expiresAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

export const liftRequestSchema = z.object({ reason: reasonSchema }).strict();

export const allowlistRequestSchema = z.object({ source: canonicalSourceSchema, reason: reasonSchema }).strict();

export const listQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(10_000).default(100) });

export const streamQuerySchema = z.object({
  startup: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

/** A sign-in failure (or success) seen by the web app, relayed to the worker's detectors. */
export const relayedSignalSchema = z
  .object({
    kind: signalKindSchema,
    source: z.string().max(64),
    user: z.string().max(200).optional(),
    path: z.string().max(2000).optional(),
    status: z.number().int().min(100).max(599).optional(),
  })
  .strict();
