import { z } from 'zod';
import { auditDetailsSchema, auditText, reportedTimeProblem } from '@/lib/audit/audit-payload';

export const INGEST_EVENT_TYPES = ['auth_failure', 'auth_success', 'request', 'error', 'custom'] as const;

/** The same text and details rules as the audit writer's, so a refusal comes here, as a 422, before anything is stored. */
const ingestEventSchema = z.object({
  type: z.enum(INGEST_EVENT_TYPES),
  source: auditText().min(1).max(200).optional(),
  user: auditText().max(200).optional(),
  name: auditText().max(100).optional(),
  module: auditText().max(200).optional(),
  // Backdated events are kept (the receive time is recorded beside them); future ones are not events yet.
  at: z.iso
    .datetime({ offset: true })
    .superRefine((at, ctx) => {
      const problem = reportedTimeProblem(new Date(at));
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional(),
  path: auditText().max(2000).optional(),
  status: z.number().int().min(100).max(599).optional(),
  details: auditDetailsSchema.optional(),
});

export const ingestBodySchema = z.object({
  events: z.array(ingestEventSchema).min(1, 'send at least one event').max(1000, 'send at most 1000 events per request'),
});

export type IngestEvent = z.infer<typeof ingestEventSchema>;
