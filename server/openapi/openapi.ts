import { z, type ZodType } from 'zod';
import { alertmanagerWebhookSchema } from '@/lib/alerts/alertmanager-webhook';
import { auditExportQuerySchema, auditSearchQuerySchema } from '@/lib/audit/filters';
import { roleSchema } from '@/lib/auth/roles';
import { createApiTokenSchema, SCOPE_DEFINITIONS, type Scope } from '@/lib/auth/scopes';
import { allowlistRequestSchema, isolateRequestSchema, liftRequestSchema, listQuerySchema, lockdownRequestSchema, restoreRequestSchema as releaseRequestSchema, streamQuerySchema } from '@/lib/defense/defense-api';
import { applyMitigationRequestSchema, decideSuggestionRequestSchema } from '@/lib/forecast/forecast-api';
import { approvalRequestSchema, moduleControlRequestSchema } from '@/lib/healing/healing-api';
import { moduleSchema } from '@/lib/healing/module-schema';
import { bouncerListSchema } from '@/lib/defense/bouncers';
import { historyQuerySchema } from '@/lib/health/history-range';
import { createSnapshotRequestSchema, diffQuerySchema, pruneRequestSchema, restoreRequestSchema, settleRestoreRequestSchema } from '@/lib/recovery/recovery-api';
import { createShareLinkSchema } from '@/lib/share/share-view';
import { isScopeAuth, type RouteAuth } from '../http/auth';
import { ingestBodySchema } from '../ingest/ingest-schema';

/**
 * The OpenAPI 3.1 description of both HTTP surfaces. Request schemas are the very zod schemas the
 * handlers parse with, so the document cannot drift from what the server accepts.
 */

export type Auth = 'public' | 'session' | 'token' | 'push-token';
export type Method = 'get' | 'post' | 'patch' | 'delete';
type JsonSchema = Record<string, unknown>;

export interface OperationSpec {
  method: Method;
  path: string;
  tag: string;
  summary: string;
  /** What the summary leaves out, in prose. */
  description?: string;
  auth: Auth;
  /** Least role that may call it; absent for public endpoints. */
  role?: z.infer<typeof roleSchema>;
  /** The scope a scoped token needs (machine API); it also sets the role. */
  scope?: Scope;
  /** Component name for the body; the schema is registered under it. */
  body?: [name: string, schema: ZodType];
  query?: [name: string, schema: ZodType];
  /** Component name and schema of the success body, where a client needs its fields. */
  response?: [name: string, schema: ZodType];
  /** Success status and its content; defaults to 200 JSON. */
  success?: { status: string; description: string; contentType?: string };
  server: 'web' | 'worker';
}

// Bodies of routes whose schema lives inline in the handler, restated with the same rules.
const restoreSourceSchema = releaseRequestSchema.extend({ source: z.string().min(1).describe('IP address or CIDR range') });
const recentQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(100).default(12) });

// What POST /api/v1/alertmanager answers (AlertIntakeResult); openapi.test.ts checks the two agree.
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
  'an alert carrying `vigil_incident` is one of Vigil\'s own alerts routed back, and joins that incident (while it is open) as a step;',
  'a `vigil_kind="threat"` alert with a source address (`source`, `source_ip`, `src_ip`, `client_ip`) becomes a defense signal (`vigil_signal` picks the kind, default `custom`);',
  'an alert naming a known module (`vigil_module`, `module`, `service`, `job`) opens an incident on it or joins the open one, and its resolution is a step there; an incident an alert opened closes once all its alerts are resolved and the module is up.',
  'Anything else is only audited. Alerts are told apart by `fingerprint` (or, without one, by their labels), so a firing alert resent by Alertmanager counts once.',
].join(' ');

const web = (spec: Omit<OperationSpec, 'server' | 'auth'> & { auth?: Auth }): OperationSpec => ({ auth: 'session', ...spec, server: 'web' });
/**
 * A machine-API operation takes its rule in the router's own terms (server/http/auth.ts), from
 * which its security, scope and role follow; the access suite checks each one against the router.
 */
const worker = ({ auth, ...spec }: Omit<OperationSpec, 'server' | 'auth' | 'role' | 'scope'> & { auth: Exclude<RouteAuth, 'internal'> }): OperationSpec =>
  isScopeAuth(auth) ? { ...spec, auth: 'token', scope: auth, role: SCOPE_DEFINITIONS[auth].role, server: 'worker' } : { ...spec, auth, server: 'worker' };

export const OPERATIONS: OperationSpec[] = [
  // Operator API (web app, port 3000)
  web({ method: 'get', path: '/api/audit', tag: 'Audit', summary: 'Search the audit trail (filters, keyset cursor)', role: 'viewer', query: ['AuditSearchQuery', auditSearchQuerySchema] }),
  web({ method: 'get', path: '/api/audit/recent', tag: 'Audit', summary: 'Newest audit events', role: 'viewer', query: ['AuditRecentQuery', recentQuerySchema] }),
  web({ method: 'get', path: '/api/audit/export', tag: 'Audit', summary: 'Export matching audit events as NDJSON or CSV', role: 'viewer', query: ['AuditExportQuery', auditExportQuerySchema], success: { status: '200', description: 'The export file', contentType: 'application/x-ndjson' } }),
  web({ method: 'get', path: '/api/audit/verification', tag: 'Audit', summary: 'Last hash-chain verification result', role: 'viewer' }),
  web({ method: 'get', path: '/api/audit/checkpoints', tag: 'Audit', summary: 'Signed chain checkpoints', role: 'viewer' }),
  web({ method: 'post', path: '/api/audit/verify', tag: 'Audit', summary: 'Re-verify the audit hash chain', role: 'operator' }),
  web({ method: 'get', path: '/api/snapshots', tag: 'Snapshots', summary: 'Snapshots, golden status and any interrupted restore', role: 'viewer' }),
  web({ method: 'post', path: '/api/snapshots', tag: 'Snapshots', summary: 'Create a snapshot', role: 'operator', body: ['CreateSnapshotRequest', createSnapshotRequestSchema], success: { status: '200', description: 'The snapshot created' } }),
  web({ method: 'post', path: '/api/snapshots/{ref}/verify', tag: 'Snapshots', summary: 'Verify a snapshot against its hashes', role: 'operator' }),
  web({ method: 'get', path: '/api/snapshots/{ref}/diff', tag: 'Snapshots', summary: 'Differences between a snapshot and the live tree or another snapshot', role: 'viewer', query: ['SnapshotDiffQuery', diffQuerySchema] }),
  web({ method: 'post', path: '/api/snapshots/{ref}/restore', tag: 'Snapshots', summary: 'Golden restore (aborts on corruption)', role: 'admin', body: ['RestoreSnapshotRequest', restoreRequestSchema] }),
  web({ method: 'post', path: '/api/snapshots/settle', tag: 'Snapshots', summary: 'Settle an interrupted restore', role: 'admin', body: ['SettleRestoreRequest', settleRestoreRequestSchema] }),
  web({ method: 'post', path: '/api/snapshots/prune', tag: 'Snapshots', summary: 'Apply the retention policy', role: 'operator', body: ['PruneRequest', pruneRequestSchema] }),
  web({ method: 'get', path: '/api/modules', tag: 'Modules', summary: 'Modules with state and restarts', role: 'viewer' }),
  web({ method: 'post', path: '/api/modules', tag: 'Modules', summary: 'Register a module', role: 'operator', body: ['ModuleDefinition', moduleSchema] }),
  web({ method: 'delete', path: '/api/modules/{name}', tag: 'Modules', summary: 'Remove a module registered in the UI', role: 'operator' }),
  web({ method: 'post', path: '/api/modules/{name}/control', tag: 'Modules', summary: 'Pause, resume or restart a module', role: 'operator', body: ['ModuleControlRequest', moduleControlRequestSchema] }),
  web({ method: 'post', path: '/api/modules/{name}/approval', tag: 'Modules', summary: 'Approve or reject a pending recovery', role: 'operator', body: ['ApprovalRequest', approvalRequestSchema] }),
  web({ method: 'get', path: '/api/modules/{name}/logs', tag: 'Modules', summary: 'Recent log lines of a supervised module', role: 'viewer' }),
  web({ method: 'get', path: '/api/incidents', tag: 'Incidents', summary: 'Open and recent incidents', role: 'viewer' }),
  web({ method: 'get', path: '/api/incidents/{id}', tag: 'Incidents', summary: 'One incident with its timeline', role: 'viewer' }),
  web({ method: 'get', path: '/api/defense', tag: 'Defense', summary: 'Defense mode, threats and isolations', role: 'viewer' }),
  web({ method: 'get', path: '/api/defense/bouncers', tag: 'Defense', summary: 'CrowdSec bouncers: address, version, last pull, decisions delivered, status', role: 'viewer', response: ['BouncerList', bouncerListSchema] }),
  web({ method: 'post', path: '/api/defense/isolations', tag: 'Defense', summary: 'Isolate a source', role: 'operator', body: ['IsolateRequest', isolateRequestSchema] }),
  web({ method: 'post', path: '/api/defense/isolations/restore', tag: 'Defense', summary: 'Release an isolated source', role: 'operator', body: ['ReleaseSourceRequest', restoreSourceSchema] }),
  web({ method: 'post', path: '/api/defense/lockdown', tag: 'Defense', summary: 'Enter LOCKDOWN', role: 'admin', body: ['LockdownRequest', lockdownRequestSchema] }),
  web({ method: 'post', path: '/api/defense/lockdown/lift', tag: 'Defense', summary: 'Lift LOCKDOWN', role: 'admin', body: ['LiftLockdownRequest', liftRequestSchema] }),
  web({ method: 'post', path: '/api/defense/allowlist', tag: 'Defense', summary: 'Add a source to the allowlist', role: 'admin', body: ['AllowlistRequest', allowlistRequestSchema] }),
  web({ method: 'post', path: '/api/defense/allowlist/remove', tag: 'Defense', summary: 'Remove a source from the allowlist', role: 'admin', body: ['AllowlistRemoveRequest', allowlistRequestSchema] }),
  web({ method: 'get', path: '/api/risk', tag: 'Risk', summary: 'Per-subsystem risk and mitigation plan', role: 'viewer' }),
  web({ method: 'post', path: '/api/risk/mitigations', tag: 'Risk', summary: 'Apply a mitigation', role: 'operator', body: ['ApplyMitigationRequest', applyMitigationRequestSchema] }),
  web({ method: 'get', path: '/api/predictions', tag: 'Risk', summary: 'Fault predictions with lead time', role: 'viewer' }),
  web({ method: 'post', path: '/api/governor/{id}', tag: 'Risk', summary: 'Apply or dismiss a tuning suggestion', role: 'operator', body: ['DecideSuggestionRequest', decideSuggestionRequestSchema] }),
  web({ method: 'get', path: '/api/health/current', tag: 'Health', summary: 'Current health score and degradation level', role: 'viewer' }),
  web({ method: 'get', path: '/api/config/status', tag: 'Health', summary: 'Whether the configuration file is in force, and each problem that kept it out', role: 'viewer' }),
  web({ method: 'get', path: '/api/cluster', tag: 'Health', summary: 'Worker replicas and which one leads', role: 'viewer' }),
  web({ method: 'get', path: '/api/health/history', tag: 'Health', summary: 'Health history for a range', role: 'viewer', query: ['HealthHistoryQuery', historyQuerySchema] }),
  web({ method: 'get', path: '/api/share-links', tag: 'Share links', summary: 'Share links you can revoke', role: 'operator' }),
  web({ method: 'post', path: '/api/share-links', tag: 'Share links', summary: 'Create a read-only link to a view', role: 'operator', body: ['CreateShareLinkRequest', createShareLinkSchema] }),
  web({ method: 'delete', path: '/api/share-links/{id}', tag: 'Share links', summary: 'Revoke a share link', role: 'operator' }),
  web({ method: 'get', path: '/api/tokens', tag: 'API tokens', summary: 'API tokens (prefix, role, scopes, last used; never the secret)', role: 'admin' }),
  web({ method: 'post', path: '/api/tokens', tag: 'API tokens', summary: 'Create an API token; the secret is returned once', role: 'admin', body: ['CreateTokenRequest', createApiTokenSchema], success: { status: '201', description: 'The token, with its secret shown this one time' } }),
  web({ method: 'delete', path: '/api/tokens/{id}', tag: 'API tokens', summary: 'Revoke an API token', role: 'admin' }),
  web({ method: 'get', path: '/api/openapi.json', tag: 'Meta', summary: 'This document', auth: 'public' }),

  // Machine API (worker, port 3001)
  worker({ method: 'get', path: '/healthz', tag: 'Machine', summary: 'Liveness with health score, degradation, defense mode and, with several workers, this replica\'s role', auth: 'public' }),
  worker({ method: 'get', path: '/guard/check', tag: 'Machine', summary: 'May this request pass? (nginx auth_request, Traefik forwardAuth, Caddy forward_auth)', auth: 'public', success: { status: '204', description: 'The source may pass' } }),
  worker({ method: 'post', path: '/api/v1/events', tag: 'Machine', summary: 'Report security and health events in a batch (at most 1000)', auth: 'events:write', body: ['IngestRequest', ingestBodySchema], success: { status: '202', description: 'One receipt per event, once durable' } }),
  worker({ method: 'post', path: '/api/v1/push/{token}', tag: 'Machine', summary: 'Heartbeat push for a push module (the path token is the credential)', auth: 'push-token' }),
  worker({ method: 'get', path: '/api/v1/push/{token}', tag: 'Machine', summary: 'Heartbeat push for a push module (the path token is the credential)', auth: 'push-token' }),
  worker({ method: 'get', path: '/api/v1/modules', tag: 'Machine', summary: 'Modules: id, name, kind, state, restarts', auth: 'modules:read' }),
  worker({ method: 'post', path: '/api/v1/modules', tag: 'Machine', summary: 'Register a module', auth: 'modules:write', body: ['ModuleDefinition', moduleSchema] }),
  worker({ method: 'get', path: '/api/v1/modules/{name}', tag: 'Machine', summary: 'One module', auth: 'modules:read' }),
  worker({ method: 'delete', path: '/api/v1/modules/{name}', tag: 'Machine', summary: 'Remove a module', auth: 'modules:write' }),
  worker({ method: 'get', path: '/api/v1/incidents', tag: 'Machine', summary: 'Incidents', auth: 'modules:read' }),
  worker({ method: 'get', path: '/api/v1/threats', tag: 'Machine', summary: 'Recent threats', auth: 'threats:read', query: ['ListQuery', listQuerySchema] }),
  worker({ method: 'get', path: '/api/v1/isolations', tag: 'Machine', summary: 'Isolated sources', auth: 'isolations:read', query: ['ListQuery', listQuerySchema] }),
  worker({ method: 'post', path: '/api/v1/isolations', tag: 'Machine', summary: 'Isolate a source', auth: 'isolations:write', body: ['IsolateRequest', isolateRequestSchema], success: { status: '201', description: 'The isolation' } }),
  worker({ method: 'delete', path: '/api/v1/isolations/{source}', tag: 'Machine', summary: 'Release an isolated source', auth: 'isolations:write', body: ['ReleaseRequest', releaseRequestSchema] }),
  worker({ method: 'post', path: '/api/v1/alertmanager', tag: 'Machine', summary: 'Alertmanager webhook receiver (payload version 4): alerts join incidents, feed the defense or are audited', description: ALERTMANAGER_DESCRIPTION, auth: 'alerts:write', body: ['AlertmanagerWebhook', alertmanagerWebhookSchema], response: ['AlertIntakeResult', alertIntakeResultSchema], success: { status: '200', description: 'What became of the alerts' } }),
  worker({ method: 'get', path: '/api/v1/bouncers', tag: 'Machine', summary: 'CrowdSec bouncers pulling the decision stream, as cscli bouncers list shows them', auth: 'threats:read', response: ['BouncerList', bouncerListSchema] }),
  worker({ method: 'get', path: '/api/v1/decisions/stream', tag: 'Machine', summary: 'Isolation decisions in the CrowdSec bouncer shape {new, deleted} (the token may also be sent as X-Api-Key)', auth: 'isolations:read', query: ['DecisionStreamQuery', streamQuerySchema] }),
  worker({ method: 'get', path: '/api/v1/audit', tag: 'Machine', summary: 'Search the audit trail (filters as query parameters, keyset cursor)', auth: 'audit:read', query: ['AuditSearchQuery', auditSearchQuerySchema] }),
  worker({ method: 'get', path: '/api/v1/features', tag: 'Machine', summary: 'Feature map of the current degradation level', auth: 'health:read' }),
  worker({ method: 'get', path: '/api/v1/health', tag: 'Machine', summary: 'Current health sample', auth: 'health:read' }),
  worker({ method: 'get', path: '/api/v1/cluster', tag: 'Machine', summary: 'Worker replicas and which one leads (VIGIL_HA on PostgreSQL); any replica answers', auth: 'health:read' }),
  worker({ method: 'get', path: '/api/v1/risk', tag: 'Machine', summary: 'Per-subsystem risk', auth: 'forecast:read' }),
  worker({ method: 'get', path: '/api/v1/predictions', tag: 'Machine', summary: 'Fault predictions', auth: 'forecast:read' }),
  worker({ method: 'get', path: '/metrics', tag: 'Machine', summary: 'Prometheus metrics (text exposition format)', auth: 'public', success: { status: '200', description: 'Prometheus text format', contentType: 'text/plain' } }),
];

const SECURITY: Record<Auth, Array<Record<string, string[]>>> = {
  public: [],
  // Cookie sessions must also send the CSRF header on unsafe methods; API tokens work here too.
  session: [{ sessionCookie: [], csrfHeader: [] }, { bearerToken: [] }],
  token: [{ bearerToken: [] }],
  'push-token': [],
};

export const AUTH_LABEL: Record<Auth, string> = {
  public: 'none',
  session: 'session cookie + X-CSRF-Token, or Bearer token',
  token: 'Bearer token',
  'push-token': 'token in the path',
};

/** zod → JSON Schema of what a client sends (input side: defaults optional, coercions accept strings). */
export function toJsonSchema(schema: ZodType): JsonSchema {
  const out = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  delete out.$schema;
  return out;
}

/** Moves local $defs into components so every $ref resolves against the whole document. */
function hoist(name: string, schema: JsonSchema, components: Record<string, JsonSchema>): JsonSchema {
  const defs = (schema.$defs ?? {}) as Record<string, JsonSchema>;
  delete schema.$defs;
  const rename = (key: string) => `${name}_${key}`;
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (node && typeof node === 'object') {
      const copy: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string') {
          const local = /^#\/\$defs\/(.+)$/.exec(value);
          copy.$ref = local ? `#/components/schemas/${rename(local[1])}` : value === '#' ? `#/components/schemas/${name}` : value;
        } else copy[key] = rewrite(value);
      }
      return copy;
    }
    return node;
  };
  for (const [key, def] of Object.entries(defs)) components[rename(key)] = rewrite(def) as JsonSchema;
  return rewrite(schema) as JsonSchema;
}

/** Top-level properties of an object schema, flattening allOf (zod intersections) and anyOf variants. */
export function objectProperties(schema: JsonSchema): Array<{ name: string; required: boolean; schema: JsonSchema }> {
  const found = new Map<string, { name: string; required: boolean; schema: JsonSchema }>();
  const visit = (node: JsonSchema, requiredHere: boolean) => {
    const props = (node.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((node.required ?? []) as string[]);
    for (const [key, value] of Object.entries(props)) {
      if (!found.has(key)) found.set(key, { name: key, required: requiredHere && required.has(key), schema: value });
    }
    for (const part of (node.allOf ?? []) as JsonSchema[]) visit(part, requiredHere);
    const variants = [...((node.anyOf ?? []) as JsonSchema[]), ...((node.oneOf ?? []) as JsonSchema[])];
    // A field is required by a union only when every variant requires it.
    const requiredByAll = variants.length ? variants.map((v) => new Set((v.required ?? []) as string[])).reduce((a, b) => new Set([...a].filter((k) => b.has(k)))) : new Set<string>();
    for (const part of variants) {
      for (const [key, value] of Object.entries((part.properties ?? {}) as Record<string, JsonSchema>)) {
        if (!found.has(key)) found.set(key, { name: key, required: requiredHere && requiredByAll.has(key), schema: value });
      }
    }
  };
  visit(schema, true);
  return [...found.values()];
}

/** A short human-readable type for the API page. */
export function describeType(schema: JsonSchema): string {
  if (Array.isArray(schema.enum)) return (schema.enum as unknown[]).map((v) => JSON.stringify(v)).join(' | ');
  if ('const' in schema) return JSON.stringify(schema.const);
  if (typeof schema.type === 'string') {
    if (schema.type === 'array' && schema.items && typeof schema.items === 'object') return `${describeType(schema.items as JsonSchema)}[]`;
    return schema.format ? `${schema.type} (${String(schema.format)})` : schema.type;
  }
  const variants = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (variants) return [...new Set(variants.map(describeType))].join(' | ');
  if (schema.$ref) return 'object';
  return 'any';
}

export interface RequestField {
  in: 'body' | 'query' | 'path';
  name: string;
  required: boolean;
  type: string;
  description?: string;
}

/** The fields an operation takes, for people reading the API page. */
export function requestFields(op: OperationSpec): RequestField[] {
  const fields: RequestField[] = pathParams(op.path).map((name) => ({ in: 'path', name, required: true, type: 'string' }));
  for (const [where, entry] of [['query', op.query], ['body', op.body]] as const) {
    if (!entry) continue;
    for (const prop of objectProperties(toJsonSchema(entry[1]))) {
      fields.push({ in: where, name: prop.name, required: prop.required, type: describeType(prop.schema), description: typeof prop.schema.description === 'string' ? prop.schema.description : undefined });
    }
  }
  return fields;
}

const pathParams = (path: string) => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

export function buildOpenApiDocument(options: { version?: string } = {}) {
  const schemas: Record<string, JsonSchema> = {
    Error: {
      type: 'object',
      description: 'The one error shape of both HTTP surfaces.',
      required: ['error'],
      properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string', description: 'Stable, for machines' }, message: { type: 'string', description: 'For people' } } } },
    },
  };
  const register = (name: string, schema: ZodType) => {
    if (!schemas[name]) schemas[name] = hoist(name, toJsonSchema(schema), schemas);
    return { $ref: `#/components/schemas/${name}` };
  };

  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const parameters: unknown[] = pathParams(op.path).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
    if (op.query) {
      register(op.query[0], op.query[1]);
      for (const prop of objectProperties(toJsonSchema(op.query[1]))) parameters.push({ name: prop.name, in: 'query', required: prop.required, schema: prop.schema });
    }
    const success = op.success ?? { status: '200', description: 'OK' };
    const successSchema = op.response ? register(op.response[0], op.response[1]) : success.contentType && success.contentType !== 'application/json' ? { type: 'string' } : { type: 'object' };
    const responses: Record<string, unknown> = {
      [success.status]: success.status === '204' ? { description: success.description } : { description: success.description, content: { [success.contentType ?? 'application/json']: { schema: successSchema } } },
    };
    if (op.body || op.query) responses['422'] = errorResponse('The request did not validate; the message names each bad field');
    if (op.auth === 'session' || op.auth === 'token') {
      responses['401'] = errorResponse('Not signed in, or no valid token');
      responses['403'] = errorResponse(op.auth === 'session' ? 'Role too low, missing CSRF token, or a scoped token (scopes are for the machine API)' : 'Token role too low, or the token is scoped without the one this operation needs');
    }
    if (op.path === '/guard/check') responses['403'] = { description: 'The source is isolated, or LOCKDOWN blocks it' };
    if (op.auth === 'push-token' || parameters.some((p) => (p as { in: string }).in === 'path')) responses['404'] = errorResponse('Not found');

    const operation: Record<string, unknown> = {
      operationId: `${op.server}_${op.method}_${op.path.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '')}`,
      tags: [op.tag],
      summary: op.summary,
      ...(op.description || op.scope ? { description: [op.description, op.scope ? `A scoped token needs the scope \`${op.scope}\`; a token without scopes needs the role ${op.role}.` : undefined].filter(Boolean).join('\n\n') } : {}),
      ...(op.scope ? { 'x-vigil-scope': op.scope } : {}),
      security: SECURITY[op.auth],
      servers: [{ url: op.server === 'web' ? 'http://localhost:3000' : 'http://localhost:3001', description: op.server === 'web' ? 'web app (PORT)' : 'worker (WORKER_PORT)' }],
      responses,
      ...(op.role ? { 'x-vigil-role': op.role } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: register(op.body[0], op.body[1]) } } } } : {}),
    };
    (paths[op.path] ??= {})[op.method] = operation;
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Vigil API',
      version: options.version ?? '0.1.0',
      description: 'Operator API of the web app (port 3000) and machine API of the worker (port 3001). Every error body is {"error":{"code","message"}}.',
    },
    servers: [
      { url: 'http://localhost:3000', description: 'web app' },
      { url: 'http://localhost:3001', description: 'worker' },
    ],
    tags: [...new Set(OPERATIONS.map((op) => op.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas,
      securitySchemes: {
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'vigil_session', description: 'Set by POST /api/auth/login' },
        csrfHeader: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token', description: 'Required with the session cookie on POST, PATCH and DELETE; the value is in the page\'s vigil-csrf meta tag' },
        bearerToken: { type: 'http', scheme: 'bearer', description: 'API token created on the admin page (or VIGIL_API_TOKEN); its role must be at least x-vigil-role. A token created with scopes may call only the machine-API operations whose x-vigil-scope it holds, and no operator-API operation; a token without scopes has the full access of its role' },
      },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
