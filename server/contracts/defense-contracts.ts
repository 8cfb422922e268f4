import { z } from 'zod';
import { operatorReasonSchema } from '@/lib/audit/audit-payload';
import {
  allowlistRequestSchema,
  canonicalSourceSchema,
  internalIsolateRequestSchema,
  isolateRequestSchema,
  liftRequestSchema,
  listQuerySchema,
  lockdownRequestSchema,
  relayedSignalSchema,
  restoreRequestSchema,
  streamQuerySchema,
  withActor,
} from '@/lib/defense/defense-api';
import { bouncerListSchema } from '@/lib/defense/bouncers';
import { blocklistRefreshRequestSchema, blocklistsResponseSchema, blocklistStatusSchema } from '@/lib/defense/blocklist-api';
import type { AllowlistEntry, DefenseDecision, DefenseOverview, DefenseThreat } from '@/lib/defense/defense-types';
import type { ThreatMinute } from '@/lib/defense/defense-types';
import { defineRoute } from './route-contract';
import { isoTime, record, view } from './wire';

const threatSchema = record<DefenseThreat>({ id: z.string(), at: isoTime, scenario: z.string(), level: z.enum(['medium', 'high', 'critical']) });

const defenseModeSchema = z.enum(['NORMAL', 'ELEVATED', 'LOCKDOWN']);

export const defenseDecisionSchema = z.object({
  id: z.number(),
  source: z.string(),
  scope: z.enum(['ip', 'range']),
  origin: z.enum(['auto', 'manual']),
  scenario: z.string().nullable(),
  reason: z.string(),
  actor: z.string(),
  offence: z.number(),
  createdAt: isoTime,
  expiresAt: isoTime.nullable(),
}) satisfies z.ZodType<DefenseDecision>;

const allowlistEntrySchema = z.object({
  source: z.string(),
  origin: z.enum(['config', 'ui']),
  reason: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: isoTime.nullable(),
}) satisfies z.ZodType<AllowlistEntry>;

const allowlistAnswerSchema = z.object({ allowlist: z.array(allowlistEntrySchema) });

const defenseOverviewSchema = view<DefenseOverview>({
  mode: defenseModeSchema,
  lockdown: z.object({ actor: z.string(), reason: z.string(), since: isoTime, expiresAt: isoTime.nullable() }).nullable(),
  threats: z.array(threatSchema),
  isolations: z.array(defenseDecisionSchema),
  isolationCount: z.number(),
  allowlist: z.array(allowlistEntrySchema),
  threatCounts: z.object({ medium: z.number(), high: z.number(), critical: z.number() }),
  threatsPerMinute: z.array(record<ThreatMinute>()),
  guard: z.object({ checks: z.number(), denied: z.number() }),
});

const bouncerDecisionSchema = z.object({
  id: z.number(),
  origin: z.string(),
  type: z.literal('ban'),
  scope: z.enum(['Ip', 'Range']),
  value: z.string(),
  duration: z.string(),
  scenario: z.string(),
});

/** The guardian: threats, isolations, the CrowdSec-style decision stream, and the web app's defense commands. */
export const defenseContracts = {
  // A fast route (Router.addFast): answered before the router, by the source, not a credential,
  // and by a standby itself. 204 lets the request pass; 403 refuses it.
  guardCheck: defineRoute({
    method: 'GET',
    path: '/guard/check',
    auth: 'public',
    standby: 'local',
    status: 204,
    tag: 'Machine',
    summary: 'May this request pass? (nginx auth_request, Traefik forwardAuth, Caddy forward_auth)',
    description: '204: the source may pass. 403: the source is isolated, or LOCKDOWN blocks it.',
    response: z.void(),
  }),
  threats: defineRoute({
    method: 'GET',
    path: '/api/v1/threats',
    auth: 'threats:read',
    tag: 'Machine',
    summary: 'Recent threats',
    query: listQuerySchema,
    response: z.object({ mode: defenseModeSchema, threats: z.array(threatSchema) }),
  }),
  isolations: defineRoute({
    method: 'GET',
    path: '/api/v1/isolations',
    auth: 'isolations:read',
    tag: 'Machine',
    summary: 'Isolated sources',
    query: listQuerySchema,
    response: z.object({ total: z.number(), isolations: z.array(defenseDecisionSchema) }),
  }),
  isolate: defineRoute({
    method: 'POST',
    path: '/api/v1/isolations',
    auth: 'isolations:write',
    status: 201,
    tag: 'Machine',
    summary: 'Isolate a source',
    body: isolateRequestSchema,
    response: defenseDecisionSchema,
  }),
  release: defineRoute({
    method: 'DELETE',
    path: '/api/v1/isolations/:source',
    auth: 'isolations:write',
    tag: 'Machine',
    summary: 'Release an isolated source',
    // curl -X DELETE sends no body: the reason is optional here.
    body: restoreRequestSchema.optional(),
    response: defenseDecisionSchema,
  }),
  decisionStream: defineRoute({
    method: 'GET',
    path: '/api/v1/decisions/stream',
    auth: 'isolations:read',
    standby: 'local',
    tag: 'Machine',
    summary: 'Isolation decisions in the CrowdSec bouncer shape {new, deleted} (the token may also be sent as X-Api-Key)',
    query: streamQuerySchema,
    response: z.object({ new: z.array(bouncerDecisionSchema), deleted: z.array(bouncerDecisionSchema) }),
  }),

  // threats:read, not the bouncers' own isolations:read: a bouncer has no business learning where the others run.
  bouncers: defineRoute({
    method: 'GET',
    path: '/api/v1/bouncers',
    auth: 'threats:read',
    tag: 'Machine',
    summary: 'CrowdSec bouncers pulling the decision stream, as cscli bouncers list shows them',
    response: bouncerListSchema,
  }),

  overview: defineRoute({
    method: 'GET',
    path: '/internal/v1/defense',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Defense mode, threats, isolations and allowlist',
    response: defenseOverviewSchema,
  }),
  isolateSource: defineRoute({
    method: 'POST',
    path: '/internal/v1/defense/isolate',
    auth: 'internal',
    status: 201,
    tag: 'Internal',
    summary: 'Isolate a source for an operator',
    body: internalIsolateRequestSchema,
    response: defenseDecisionSchema,
  }),
  restoreSource: defineRoute({
    method: 'POST',
    path: '/internal/v1/defense/restore',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Release an isolated source for an operator',
    body: withActor(z.object({ source: canonicalSourceSchema, reason: operatorReasonSchema })),
    response: defenseDecisionSchema,
  }),
  lockdown: defineRoute({
    method: 'POST',
    path: '/internal/v1/defense/lockdown',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Enter LOCKDOWN',
    body: withActor(lockdownRequestSchema),
    response: defenseOverviewSchema,
  }),
  liftLockdown: defineRoute({
    method: 'POST',
    path: '/internal/v1/defense/lift',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Lift LOCKDOWN',
    body: withActor(liftRequestSchema),
    response: defenseOverviewSchema,
  }),
  allowSource: defineRoute({
    method: 'POST',
    path: '/internal/v1/defense/allowlist',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Add a source to the allowlist',
    body: withActor(allowlistRequestSchema),
    response: allowlistAnswerSchema,
  }),
  disallowSource: defineRoute({
    method: 'POST',
    path: '/internal/v1/defense/allowlist/remove',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Remove a source from the allowlist',
    body: withActor(allowlistRequestSchema),
    response: allowlistAnswerSchema,
  }),
  blocklists: defineRoute({
    method: 'GET',
    path: '/internal/v1/defense/blocklists',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Imported IP lists and how each refresh went',
    response: blocklistsResponseSchema,
  }),
  refreshBlocklist: defineRoute({
    method: 'POST',
    path: '/internal/v1/defense/blocklists/refresh',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Read an imported IP list again now (the status says whether it was refused)',
    body: withActor(blocklistRefreshRequestSchema),
    response: blocklistStatusSchema,
  }),
  // Vigil's own sign-in failures: the web app relays them here, best effort.
  reportSignals: defineRoute({
    method: 'POST',
    path: '/internal/v1/defense/signals',
    auth: 'internal',
    status: 202,
    tag: 'Internal',
    summary: 'Sign-in outcomes for the detectors',
    body: z.object({ signals: z.array(relayedSignalSchema).min(1).max(1000) }),
    response: z.object({ accepted: z.number() }),
  }),
};
