import { z } from 'zod';
import { operatorReasonSchema } from '@/lib/audit/audit-payload';
import { roleSchema } from '@/lib/auth/roles';
import type { HealingOverviewView, IncidentDetailView, IncidentRecordView, ModuleLogsView } from '@/lib/healing/healing-views';
import type { IncidentSummary } from '@/lib/healing/incident';
import { MODULE_STATES } from '@/lib/healing/module-schema';
import type { ModuleView } from '@/lib/healing/module-view';
import { vantageSummarySchema } from '@/lib/healing/vantage-schema';
import { defineRoute } from './route-contract';
import { isoTime, jsonObject, record, view } from './wire';

const moduleViewSchema = view<ModuleView>({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  state: z.enum(MODULE_STATES),
  stateSince: isoTime,
  restarts: z.number(),
  critical: z.boolean(),
  source: z.enum(['config', 'console']),
  message: z.string().nullable(),
  latencyMs: z.number().nullable(),
  p95Ms: z.number().nullable(),
  baselineMs: z.number().nullable(),
  sparkline: z.array(z.number().nullable()),
  lastCheckAt: isoTime.nullable(),
  incidentId: z.string().nullable(),
  dependsOn: z.array(z.string()),
  autonomy: z.string(),
  observeOnly: z.boolean(),
  pid: z.number().nullable(),
  pendingApproval: z.string().nullable(),
  canRestart: z.boolean(),
  vantage: vantageSummarySchema.optional(),
});

const incidentFields = {
  id: z.string(),
  module: z.string(),
  title: z.string(),
  severity: z.string(),
  state: z.enum(['open', 'resolved']),
  openedAt: isoTime,
  resolvedAt: isoTime.nullable(),
};
const recordFields = { ...incidentFields, firstFailureAt: isoTime, detectedAt: isoTime, mttdMs: z.number(), mttrMs: z.number().nullable() };
const incidentRecordSchema = record<IncidentRecordView>(recordFields);

const healingOverviewSchema = view<HealingOverviewView>({
  modules: z.array(moduleViewSchema),
  openIncidents: z.array(record<IncidentSummary>(incidentFields)),
  recentIncidents: z.array(incidentRecordSchema),
  configStatus: jsonObject.nullable(),
});

// IncidentDetailView extends the record with its steps; view() needs every top-level field.
const incidentDetailSchema = record<IncidentDetailView>({
  ...recordFields,
  steps: z.array(z.looseObject({ at: isoTime, kind: z.string(), message: z.string() })),
});

const moduleLogsSchema = z.object({
  module: z.string(),
  lines: z.array(z.object({ at: isoTime, stream: z.enum(['stdout', 'stderr', 'vigil']), text: z.string() })),
}) satisfies z.ZodType<ModuleLogsView>;

export const healingActorSchema = z.object({ name: z.string().min(1).max(200), role: roleSchema });
const operatorActionSchema = z.object({ actor: healingActorSchema, reason: operatorReasonSchema });
const removedSchema = z.object({ removed: z.string() });

const controlRoute = <const A extends 'pause' | 'resume' | 'restart'>(action: A, summary: string) =>
  defineRoute({
    method: 'POST',
    path: `/internal/v1/healing/modules/:name/${action}`,
    auth: 'internal',
    tag: 'Internal',
    summary,
    body: operatorActionSchema,
    response: moduleViewSchema,
  });

/** Modules and incidents: the machine API, heartbeat push, and the web app's commands. */
export const healingContracts = {
  modules: defineRoute({
    method: 'GET',
    path: '/api/v1/modules',
    auth: 'modules:read',
    tag: 'Machine',
    summary: 'Modules: id, name, kind, state, restarts',
    response: z.array(moduleViewSchema),
  }),
  module: defineRoute({
    method: 'GET',
    path: '/api/v1/modules/:name',
    auth: 'modules:read',
    tag: 'Machine',
    summary: 'One module',
    response: moduleViewSchema,
  }),
  // The definition is validated by the healing service, which names the field a bad one got wrong.
  registerModule: defineRoute({
    method: 'POST',
    path: '/api/v1/modules',
    auth: 'modules:write',
    status: 201,
    tag: 'Machine',
    summary: 'Register a module',
    body: z.unknown(),
    response: moduleViewSchema,
  }),
  removeModuleForMachines: defineRoute({
    method: 'DELETE',
    path: '/api/v1/modules/:name',
    auth: 'modules:write',
    tag: 'Machine',
    summary: 'Remove a module',
    response: removedSchema,
  }),
  incidents: defineRoute({
    method: 'GET',
    path: '/api/v1/incidents',
    auth: 'modules:read',
    tag: 'Machine',
    summary: 'Incidents',
    response: z.array(incidentRecordSchema),
  }),
  pushPost: defineRoute({
    method: 'POST',
    path: '/api/v1/push/:token',
    auth: 'push-token',
    tag: 'Machine',
    summary: 'Heartbeat push for a push module (the path token is the credential)',
    response: z.object({ ok: z.literal(true), module: z.string() }),
  }),
  pushGet: defineRoute({
    method: 'GET',
    path: '/api/v1/push/:token',
    auth: 'push-token',
    tag: 'Machine',
    summary: 'Heartbeat push for a push module (the path token is the credential)',
    response: z.object({ ok: z.literal(true), module: z.string() }),
  }),

  overview: defineRoute({
    method: 'GET',
    path: '/internal/v1/healing',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Modules, open and recent incidents, config status',
    response: healingOverviewSchema,
  }),
  incident: defineRoute({
    method: 'GET',
    path: '/internal/v1/healing/incidents/:id',
    auth: 'internal',
    tag: 'Internal',
    summary: 'One incident with its timeline',
    response: incidentDetailSchema,
  }),
  moduleLogs: defineRoute({
    method: 'GET',
    path: '/internal/v1/healing/modules/:name/logs',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Recent log lines of a supervised module',
    response: moduleLogsSchema,
  }),
  defineModule: defineRoute({
    method: 'POST',
    path: '/internal/v1/healing/modules',
    auth: 'internal',
    status: 201,
    tag: 'Internal',
    summary: 'Register a module for an operator',
    body: z.object({ actor: healingActorSchema, definition: z.unknown() }),
    response: moduleViewSchema,
  }),
  removeModule: defineRoute({
    method: 'POST',
    path: '/internal/v1/healing/modules/:name/remove',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Remove a module registered in the UI',
    body: z.object({ actor: healingActorSchema }),
    response: removedSchema,
  }),
  pause: controlRoute('pause', 'Pause a module'),
  resume: controlRoute('resume', 'Resume a module'),
  restart: controlRoute('restart', 'Restart a module now'),
  decideApproval: defineRoute({
    method: 'POST',
    path: '/internal/v1/healing/modules/:name/approval',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Approve or reject a pending recovery',
    body: z.object({ actor: healingActorSchema, approve: z.boolean() }),
    response: moduleViewSchema,
  }),
};
