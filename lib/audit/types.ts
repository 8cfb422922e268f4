import { z } from 'zod';
import type { JsonObject } from '../canonical-json';
import { auditDetailsSchema, auditText, reportedTimeSchema } from './audit-payload';

export const SEVERITIES = ['debug', 'info', 'notice', 'warning', 'high', 'critical'] as const;
export const severitySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof severitySchema>;

/** The 5W1H of an event before it is placed in the chain. */
export interface AuditEventInput {
  type: string;
  severity: Severity;
  /** who */
  actor: string;
  /** what */
  action: string;
  /** where: the module or subsystem */
  module?: string | null;
  resource?: string | null;
  /** why */
  reason?: string | null;
  /** how */
  method?: string | null;
  source?: string | null;
  details?: JsonObject;
  /** When the event happened; defaults to the moment it is accepted. */
  at?: Date;
}

/** The host id of the console's own worker, and of every event recorded before the fleet. */
export const LOCAL_HOST_ID = 1;

/** An event as it sits in the chain; every field here is covered by `hash`. */
export interface ChainedAuditEvent {
  seq: number;
  /** The host that reported it; absent means the console's own (LOCAL_HOST_ID). Read back, it is always set. */
  hostId?: number;
  eventId: string;
  at: string;
  type: string;
  severity: Severity;
  actor: string;
  action: string;
  module: string | null;
  resource: string | null;
  reason: string | null;
  method: string | null;
  source: string | null;
  details: JsonObject;
  prevHash: string;
  hash: string;
}

export const auditEventInputSchema = z.object({
  type: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-z0-9_.:-]+$/, 'lowercase letters, digits and _ . : -'),
  severity: severitySchema,
  actor: auditText().min(1).max(200),
  action: auditText().min(1).max(200),
  module: auditText().max(200).nullish(),
  resource: auditText().max(500).nullish(),
  reason: auditText().max(2000).nullish(),
  method: auditText().max(200).nullish(),
  source: auditText().max(200).nullish(),
  details: auditDetailsSchema.optional(),
  at: reportedTimeSchema.optional(),
});

/** A stored event as the dashboard's live feed announces it (after its commit). */
export interface AuditAppended {
  seq: number;
  at: string;
  type: string;
  severity: Severity;
  action: string;
}
