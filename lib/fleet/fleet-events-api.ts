import { z } from 'zod';
import { auditDetailsSchema, storableTimeProblem } from '../audit/audit-payload';
import { auditEventInputSchema } from '../audit/types';

/** At most this many events travel in one message: well under socket.io's 1 MB message limit for ordinary events. */
export const MAX_FLEET_EVENT_BATCH = 500;
/** Events per message are also cut at this many bytes of JSON, so a few large events never exceed the message limit. */
export const MAX_FLEET_EVENT_BATCH_BYTES = 256 * 1024;
/** Sequence numbers are int4 on PostgreSQL. */
const MAX_SEQ = 2_147_483_647;

/**
 * One event of an agent's chain as it travels to the console: the fields the console links into
 * its own chain, the agent's own sequence number (the per-host order, and what the console
 * acknowledges), and its event id. The same rules as every other way into the chain; only the
 * clock-skew bound is left out, as the agent's clock already stamped the event in its own chain.
 */
export const fleetEventSchema = auditEventInputSchema
  .omit({ at: true, details: true })
  .extend({
    hostSeq: z.number().int().positive().max(MAX_SEQ),
    eventId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'an event id of 1-64 letters, digits or dashes'),
    at: z
      .string()
      .datetime()
      .superRefine((at, ctx) => {
        const problem = storableTimeProblem(new Date(at));
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    details: auditDetailsSchema,
  })
  .strict();
export type FleetEvent = z.infer<typeof fleetEventSchema>;

/**
 * Agent → console: the next events of its chain, oldest first, and the last sequence number the
 * agent knows the console holds. A batch that starts beyond what the console holds (one before
 * it was lost) is refused with where the console stands, so nothing is ever skipped.
 */
export const fleetEventBatchSchema = z
  .object({
    afterSeq: z.number().int().min(0).max(MAX_SEQ),
    events: z.array(fleetEventSchema).min(1).max(MAX_FLEET_EVENT_BATCH),
    /** The agent's chain is not the one the console holds (its database was wiped or replaced): numbering starts again after afterSeq. */
    reset: z.literal(true).optional(),
  })
  .strict()
  .refine((batch) => batch.events.every((event, i) => event.hostSeq > (i === 0 ? batch.afterSeq : batch.events[i - 1].hostSeq)), {
    message: 'events must follow afterSeq in the order of their hostSeq',
    path: ['events'],
  });
export type FleetEventBatch = z.infer<typeof fleetEventBatchSchema>;

/**
 * Console → agent, the acknowledgement of a batch: everything up to `ackedSeq` is in the
 * console's chain and may be let go. Anything else asks the agent to send again later.
 */
export const fleetEventAckSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), ackedSeq: z.number().int().min(0) }),
  z.object({
    ok: z.literal(false),
    /** `resend`: the console holds events up to ackedSeq only; send again from there. */
    error: z.enum(['busy', 'invalid', 'unavailable', 'revoked', 'resend']),
    message: z.string().optional(),
    retryInMs: z.number().int().min(0).optional(),
    ackedSeq: z.number().int().min(0).optional(),
  }),
]);
export type FleetEventAck = z.infer<typeof fleetEventAckSchema>;

/** Console → agent in the welcome: where its copy of this agent's events ends, so the agent resumes right after. */
export const fleetWelcomeSchema = z.object({
  hostId: z.number().int().positive(),
  eventSeq: z.number().int().min(0).default(0),
  /** The id of that last event, so an agent whose chain was replaced can tell it is not the one the console holds. */
  lastEventId: z.string().max(100).nullable().optional(),
});

export const FLEET_EVENTS_MESSAGE = 'fleet:events';
