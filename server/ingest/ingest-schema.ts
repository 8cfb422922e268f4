import { z } from 'zod';

export const INGEST_EVENT_TYPES = ['auth_failure', 'auth_success', 'request', 'error', 'custom'] as const;

const ingestEventSchema = z.object({
  type: z.enum(INGEST_EVENT_TYPES),
  source: z.string().min(1).max(200).optional(),
  user: z.string().max(200).optional(),
  name: z.string().max(100).optional(),
  module: z.string().max(200).optional(),
  at: z.iso.datetime({ offset: true }).optional(),
  path: z.string().max(2000).optional(),
  status: z.number().int().min(100).max(599).optional(),
  details: z.record(z.string(), z.json()).optional(),
});

export const ingestBodySchema = z.object({
  events: z.array(ingestEventSchema).min(1, 'send at least one event').max(1000, 'send at most 1000 events per request'),
});

export type IngestEvent = z.infer<typeof ingestEventSchema>;
