import { z } from 'zod';
import { alertmanagerWebhookSchema } from '@/lib/alerts/alertmanager-webhook';
import { auditSearchQuerySchema } from '@/lib/audit/filters';
import type { ChainedAuditEvent } from '@/lib/audit/types';
import { ingestBodySchema } from '../ingest/ingest-schema';
import { defineRoute } from './route-contract';
import { isoTime, record } from './wire';

// What POST /api/v1/alertmanager answers (AlertIntakeResult); the alert intake's test checks the two agree.
const count = (description: string) => z.number().int().min(0).describe(description);
export const alertIntakeResultSchema = z.object({
  received: count('Alerts in the payload, firing and resolved'),
  recorded: count('Audit events written: new firing alerts, and resolutions of alerts seen firing'),
  duplicates: count('Firing alerts already seen (same fingerprint), as Alertmanager resends them every repeat_interval; nothing is recorded for them'),
  moduleSignals: count('New firing alerts naming a known module'),
  incidentsOpened: count('Incidents those alerts opened; the others joined an incident already open for their module'),
  threatSignals: count('vigil_kind="threat" alerts handed to the defense as signals'),
});

const ALERTMANAGER_DESCRIPTION = [
  'Every new firing alert, and the resolution of one seen firing, is an `alert.received` / `alert.resolved` audit event. Besides, the first match wins:',
  "an alert carrying `vigil_incident` is one of Vigil's own alerts routed back, and joins that incident (while it is open) as a step;",
  'a `vigil_kind="threat"` alert with a source address (`source`, `source_ip`, `src_ip`, `client_ip`) becomes a defense signal (`vigil_signal` picks the kind, default `custom`);',
  'an alert naming a known module (`vigil_module`, `module`, `service`, `job`) opens an incident on it or joins the open one, and its resolution is a step there; an incident an alert opened closes once all its alerts are resolved and the module is up.',
  'Anything else is only audited. Alerts are told apart by `fingerprint` (or, without one, by their labels), so a firing alert resent by Alertmanager counts once.',
].join(' ');

const receiptSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('committed'), eventId: z.string(), seq: z.number(), hash: z.string() }),
  z.object({ status: z.literal('spooled'), eventId: z.string() }),
  z.object({ status: z.literal('quarantined'), eventId: z.string(), reason: z.string() }),
]);

/** What machines send the worker: events, Alertmanager's webhook, and audit searches. */
export const machineContracts = {
  ingest: defineRoute({
    method: 'POST',
    path: '/api/v1/events',
    auth: 'events:write',
    standby: 'local',
    status: 202,
    tag: 'Machine',
    summary: 'Report security and health events in a batch (at most 1000)',
    description: 'Answers once every event is durable (written, or in the spool while the database is away), with one receipt per event.',
    body: ingestBodySchema,
    response: z.object({ accepted: z.number(), events: z.array(receiptSchema) }),
  }),
  alertmanager: defineRoute({
    method: 'POST',
    path: '/api/v1/alertmanager',
    auth: 'alerts:write',
    tag: 'Machine',
    summary: 'Alertmanager webhook receiver (payload version 4): alerts join incidents, feed the defense or are audited',
    description: ALERTMANAGER_DESCRIPTION,
    body: alertmanagerWebhookSchema,
    response: alertIntakeResultSchema,
  }),
  auditSearch: defineRoute({
    method: 'GET',
    path: '/api/v1/audit',
    auth: 'audit:read',
    tag: 'Machine',
    summary: 'Search the audit trail (filters as query parameters, keyset cursor)',
    query: auditSearchQuerySchema,
    response: z.object({
      events: z.array(record<ChainedAuditEvent>({ seq: z.number(), eventId: z.string(), at: isoTime, type: z.string() })),
      nextCursor: z.number().nullable(),
    }),
  }),
};
