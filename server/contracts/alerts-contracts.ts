import { z } from 'zod';
import { acknowledgeInputSchema, alertRuleSchema, silenceInputSchema } from '@/lib/alerts/alert-rules';
import type { AlertView, RuleView, SilenceView } from '@/lib/alerts/alert-views';
import { actorNameSchema } from '@/lib/alerts/alerts-api';
import { defineRoute } from './route-contract';
import { isoTime, record, view } from './wire';

const alertSchema = view<AlertView>({
  id: z.string(),
  rule: z.string(),
  severity: z.string(),
  state: z.enum(['firing', 'acknowledged', 'resolved']),
  labels: z.record(z.string(), z.string()),
  count: z.number(),
  firstAt: isoTime,
  lastAt: isoTime,
  notifiedAt: isoTime.nullable(),
  acknowledgedBy: z.string().nullable(),
  acknowledgedAt: isoTime.nullable(),
  ackComment: z.string().nullable(),
  resolvedAt: isoTime.nullable(),
  samples: z.array(z.looseObject({ seq: z.number(), type: z.string() })),
});
const silenceSchema = record<SilenceView>({ id: z.string(), endsAt: isoTime, author: z.string(), active: z.boolean() });
const ruleViewSchema = record<RuleView>({ rule: z.looseObject({ name: z.string() }), origin: z.enum(['shipped', 'config', 'console']) });

const internal = { auth: 'internal', tag: 'Internal' } as const;

/** Alert rules, silences and acknowledgement, relayed by the web app with the operator's name. */
export const alertsContracts = {
  overview: defineRoute({
    ...internal,
    method: 'GET',
    path: '/internal/v1/alerts',
    summary: 'Open and recent alerts, silences, the rules in force and the channel names',
    response: z.object({ alerts: z.array(alertSchema), silences: z.array(silenceSchema), rules: z.array(ruleViewSchema), channels: z.array(z.string()) }),
  }),
  acknowledge: defineRoute({
    ...internal,
    method: 'POST',
    path: '/internal/v1/alerts/:id/acknowledge',
    summary: 'Acknowledge an alert: no more reminders; PagerDuty and Opsgenie are told',
    body: acknowledgeInputSchema.extend({ actor: actorNameSchema }),
    response: alertSchema,
  }),
  createSilence: defineRoute({
    ...internal,
    method: 'POST',
    path: '/internal/v1/alerts/silences',
    status: 201,
    summary: 'Silence alerts whose labels match, until it expires',
    body: silenceInputSchema.extend({ actor: actorNameSchema }),
    response: silenceSchema,
  }),
  expireSilence: defineRoute({
    ...internal,
    method: 'POST',
    path: '/internal/v1/alerts/silences/:id/expire',
    summary: 'End a silence now',
    body: z.object({ actor: actorNameSchema }).strict(),
    response: silenceSchema,
  }),
  saveRule: defineRoute({
    ...internal,
    method: 'PUT',
    path: '/internal/v1/alerts/rules',
    summary: 'Create or replace an alert rule (a shipped or configured rule of the same name is overridden)',
    body: z.object({ rule: alertRuleSchema, actor: actorNameSchema }).strict(),
    response: ruleViewSchema,
  }),
  removeRule: defineRoute({
    ...internal,
    method: 'POST',
    path: '/internal/v1/alerts/rules/remove',
    summary: "Remove the console's rule of that name",
    body: z.object({ name: z.string().min(1).max(63), actor: actorNameSchema }).strict(),
    response: z.object({ removed: z.string(), revertedTo: z.enum(['shipped', 'config']).nullable() }),
  }),
};
