import { bouncerListSchema } from '@/lib/defense/bouncers';
import { blocklistRefreshRequestSchema, blocklistsResponseSchema, blocklistStatusSchema } from '@/lib/defense/blocklist-api';
import { z } from 'zod';
import { auditExportQuerySchema, auditSearchQuerySchema } from '@/lib/audit/filters';
import {
  allowlistRequestSchema,
  isolateRequestSchema,
  liftRequestSchema,
  lockdownRequestSchema,
  restoreRequestSchema as releaseRequestSchema,
} from '@/lib/defense/defense-api';
import { applyMitigationRequestSchema, decideSuggestionRequestSchema } from '@/lib/forecast/forecast-api';
import { approvalRequestSchema, moduleControlRequestSchema } from '@/lib/healing/healing-api';
import { moduleSchema } from '@/lib/healing/module-schema';
import { historyQuerySchema } from '@/lib/health/history-range';
import {
  createSnapshotRequestSchema,
  diffQuerySchema,
  pruneRequestSchema,
  restoreRequestSchema,
  settleRestoreRequestSchema,
} from '@/lib/recovery/recovery-api';
import { createShareLinkSchema } from '@/lib/share/share-view';
import { type OperationSpec, webOperation } from './operation-spec';
import { OFFSITE_WEB_OPERATIONS } from './web-offsite-operations';
import { STATUS_PAGE_OPERATIONS } from './status-page-operations';
import { SETTINGS_WEB_OPERATIONS } from './web-settings-operations';
import { ALERT_WEB_OPERATIONS } from './web-operations-alerts';
import { FLEET_WEB_OPERATIONS } from './web-fleet-operations';
import { SESSION_WEB_OPERATIONS } from './web-session-operations';

/**
 * The operator API of the web app, described by hand: its routes declare who may call them as
 * `authorize` functions (app/_lib/api-route.ts), which a document cannot read, so each operation
 * states its least role here and the access suite (server/adversarial/web-access.test.ts) checks
 * every one against what the route enforces. Request schemas are the ones the handlers parse with.
 */

// Bodies of routes whose schema lives inline in the handler, restated with the same rules.
const restoreSourceSchema = releaseRequestSchema.extend({ source: z.string().min(1).describe('IP address or CIDR range') });
const recentQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(100).default(12) });

const web = webOperation;

export const WEB_OPERATIONS: OperationSpec[] = [
  ...ALERT_WEB_OPERATIONS,
  ...FLEET_WEB_OPERATIONS,
  web({
    method: 'get',
    path: '/api/audit',
    tag: 'Audit',
    summary: 'Search the audit trail (filters, keyset cursor)',
    role: 'viewer',
    query: ['AuditSearchQuery', auditSearchQuerySchema],
  }),
  web({
    method: 'get',
    path: '/api/audit/recent',
    tag: 'Audit',
    summary: 'Newest audit events',
    role: 'viewer',
    query: ['AuditRecentQuery', recentQuerySchema],
  }),
  web({
    method: 'get',
    path: '/api/audit/export',
    tag: 'Audit',
    summary: 'Export matching audit events as NDJSON or CSV',
    role: 'viewer',
    query: ['AuditExportQuery', auditExportQuerySchema],
    success: { status: '200', description: 'The export file', contentType: 'application/x-ndjson' },
  }),
  web({ method: 'get', path: '/api/audit/verification', tag: 'Audit', summary: 'Last hash-chain verification result', role: 'viewer' }),
  web({ method: 'get', path: '/api/audit/checkpoints', tag: 'Audit', summary: 'Signed chain checkpoints', role: 'viewer' }),
  web({ method: 'post', path: '/api/audit/verify', tag: 'Audit', summary: 'Re-verify the audit hash chain', role: 'operator' }),
  web({ method: 'get', path: '/api/snapshots', tag: 'Snapshots', summary: 'Snapshots, golden status and any interrupted restore', role: 'viewer' }),
  web({
    method: 'post',
    path: '/api/snapshots',
    tag: 'Snapshots',
    summary: 'Create a snapshot',
    role: 'operator',
    body: ['CreateSnapshotRequest', createSnapshotRequestSchema],
    success: { status: '200', description: 'The snapshot created' },
  }),
  web({ method: 'post', path: '/api/snapshots/{ref}/verify', tag: 'Snapshots', summary: 'Verify a snapshot against its hashes', role: 'operator' }),
  web({
    method: 'get',
    path: '/api/snapshots/{ref}/diff',
    tag: 'Snapshots',
    summary: 'Differences between a snapshot and the live tree or another snapshot',
    role: 'viewer',
    query: ['SnapshotDiffQuery', diffQuerySchema],
  }),
  web({
    method: 'post',
    path: '/api/snapshots/{ref}/restore',
    tag: 'Snapshots',
    summary: 'Golden restore (aborts on corruption)',
    role: 'admin',
    body: ['RestoreSnapshotRequest', restoreRequestSchema],
  }),
  web({
    method: 'post',
    path: '/api/snapshots/settle',
    tag: 'Snapshots',
    summary: 'Settle an interrupted restore',
    role: 'admin',
    body: ['SettleRestoreRequest', settleRestoreRequestSchema],
  }),
  web({
    method: 'post',
    path: '/api/snapshots/prune',
    tag: 'Snapshots',
    summary: 'Apply the retention policy',
    role: 'operator',
    body: ['PruneRequest', pruneRequestSchema],
  }),
  ...OFFSITE_WEB_OPERATIONS,
  web({ method: 'get', path: '/api/modules', tag: 'Modules', summary: 'Modules with state and restarts', role: 'viewer' }),
  web({ method: 'post', path: '/api/modules', tag: 'Modules', summary: 'Register a module', role: 'operator', body: ['ModuleDefinition', moduleSchema] }),
  web({ method: 'get', path: '/api/modules/{name}', tag: 'Modules', summary: "A console module's definition, to edit it", role: 'operator' }),
  web({ method: 'delete', path: '/api/modules/{name}', tag: 'Modules', summary: 'Remove a module registered in the UI', role: 'operator' }),
  web({
    method: 'post',
    path: '/api/modules/{name}/control',
    tag: 'Modules',
    summary: 'Pause, resume or restart a module',
    role: 'operator',
    body: ['ModuleControlRequest', moduleControlRequestSchema],
  }),
  web({
    method: 'post',
    path: '/api/modules/{name}/approval',
    tag: 'Modules',
    summary: 'Approve or reject a pending recovery',
    role: 'operator',
    body: ['ApprovalRequest', approvalRequestSchema],
  }),
  web({ method: 'get', path: '/api/modules/{name}/logs', tag: 'Modules', summary: 'Recent log lines of a supervised module', role: 'viewer' }),
  web({ method: 'get', path: '/api/incidents', tag: 'Incidents', summary: 'Open and recent incidents', role: 'viewer' }),
  web({ method: 'get', path: '/api/incidents/{id}', tag: 'Incidents', summary: 'One incident with its timeline', role: 'viewer' }),
  web({ method: 'get', path: '/api/defense', tag: 'Defense', summary: 'Defense mode, threats and isolations', role: 'viewer' }),
  web({
    method: 'get',
    path: '/api/defense/bouncers',
    tag: 'Defense',
    summary: 'CrowdSec bouncers: address, version, last pull, decisions delivered, status',
    role: 'viewer',
    response: ['BouncerList', bouncerListSchema],
  }),
  web({
    method: 'get',
    path: '/api/defense/blocklists',
    tag: 'Defense',
    summary: 'Imported IP lists: counts, last and next refresh, last error',
    role: 'viewer',
    response: ['Blocklists', blocklistsResponseSchema],
  }),
  web({
    method: 'post',
    path: '/api/defense/blocklists/refresh',
    tag: 'Defense',
    summary: 'Read an imported IP list again now',
    role: 'operator',
    body: ['BlocklistRefreshRequest', blocklistRefreshRequestSchema],
    response: ['BlocklistStatus', blocklistStatusSchema],
  }),
  web({
    method: 'post',
    path: '/api/defense/isolations',
    tag: 'Defense',
    summary: 'Isolate a source',
    role: 'operator',
    body: ['IsolateRequest', isolateRequestSchema],
  }),
  web({
    method: 'post',
    path: '/api/defense/isolations/restore',
    tag: 'Defense',
    summary: 'Release an isolated source',
    role: 'operator',
    body: ['ReleaseSourceRequest', restoreSourceSchema],
  }),
  web({
    method: 'post',
    path: '/api/defense/lockdown',
    tag: 'Defense',
    summary: 'Enter LOCKDOWN',
    role: 'admin',
    body: ['LockdownRequest', lockdownRequestSchema],
  }),
  web({
    method: 'post',
    path: '/api/defense/lockdown/lift',
    tag: 'Defense',
    summary: 'Lift LOCKDOWN',
    role: 'admin',
    body: ['LiftLockdownRequest', liftRequestSchema],
  }),
  web({
    method: 'post',
    path: '/api/defense/allowlist',
    tag: 'Defense',
    summary: 'Add a source to the allowlist',
    role: 'admin',
    body: ['AllowlistRequest', allowlistRequestSchema],
  }),
  web({
    method: 'post',
    path: '/api/defense/allowlist/remove',
    tag: 'Defense',
    summary: 'Remove a source from the allowlist',
    role: 'admin',
    body: ['AllowlistRemoveRequest', allowlistRequestSchema],
  }),
  web({ method: 'get', path: '/api/risk', tag: 'Risk', summary: 'Per-subsystem risk and mitigation plan', role: 'viewer' }),
  web({
    method: 'post',
    path: '/api/risk/mitigations',
    tag: 'Risk',
    summary: 'Apply a mitigation',
    role: 'operator',
    body: ['ApplyMitigationRequest', applyMitigationRequestSchema],
  }),
  web({ method: 'get', path: '/api/predictions', tag: 'Risk', summary: 'Fault predictions with lead time', role: 'viewer' }),
  web({
    method: 'post',
    path: '/api/governor/{id}',
    tag: 'Risk',
    summary: 'Apply or dismiss a tuning suggestion',
    role: 'operator',
    body: ['DecideSuggestionRequest', decideSuggestionRequestSchema],
  }),
  web({ method: 'get', path: '/api/health/current', tag: 'Health', summary: 'Current health score and degradation level', role: 'viewer' }),
  web({
    method: 'get',
    path: '/api/config/status',
    tag: 'Health',
    summary: 'Whether the configuration file is in force, and each problem that kept it out',
    role: 'viewer',
  }),
  web({ method: 'get', path: '/api/cluster', tag: 'Health', summary: 'Worker replicas and which one leads', role: 'viewer' }),
  web({
    method: 'get',
    path: '/api/health/history',
    tag: 'Health',
    summary: 'Health history for a range',
    role: 'viewer',
    query: ['HealthHistoryQuery', historyQuerySchema],
  }),
  web({ method: 'get', path: '/api/share-links', tag: 'Share links', summary: 'Share links you can revoke', role: 'operator' }),
  web({
    method: 'post',
    path: '/api/share-links',
    tag: 'Share links',
    summary: 'Create a read-only link to a view',
    role: 'operator',
    body: ['CreateShareLinkRequest', createShareLinkSchema],
  }),
  web({ method: 'delete', path: '/api/share-links/{id}', tag: 'Share links', summary: 'Revoke a share link', role: 'operator' }),
  ...STATUS_PAGE_OPERATIONS,
  ...SETTINGS_WEB_OPERATIONS,
  ...SESSION_WEB_OPERATIONS,
  web({
    method: 'post',
    path: '/api/degradation/pin',
    tag: 'Health',
    summary: 'Pin the degradation level (or unpin with level null), with a reason',
    role: 'operator',
  }),
  web({ method: 'get', path: '/api/integrity', tag: 'Defense', summary: 'File integrity: watched paths, baseline and findings', role: 'viewer' }),
  web({ method: 'post', path: '/api/integrity/rebaseline', tag: 'Defense', summary: 'Accept the current files as the new integrity baseline', role: 'admin' }),
  web({ method: 'get', path: '/api/drills', tag: 'Drills', summary: 'Past drill runs, and whether one is running', role: 'viewer' }),
  web({ method: 'post', path: '/api/drills', tag: 'Drills', summary: 'Start a drill (spawns programs and may mount a disk)', role: 'admin' }),
  web({ method: 'get', path: '/api/governor', tag: 'Risk', summary: 'The governor: its suggestions and policy', role: 'viewer' }),
  web({ method: 'get', path: '/api/governor/export', tag: 'Risk', summary: "The governor's suggestions as a file", role: 'viewer' }),
  web({ method: 'get', path: '/api/fleet/hosts', tag: 'Fleet', summary: 'Every host of the fleet with its last heartbeat', role: 'viewer' }),
  web({
    method: 'post',
    path: '/api/fleet/hosts/{id}/revoke',
    tag: 'Fleet',
    summary: 'Revoke a host: disconnect it now and refuse it afterwards',
    role: 'admin',
  }),
];
