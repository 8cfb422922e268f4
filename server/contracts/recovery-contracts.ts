import { z } from 'zod';
import {
  createSnapshotRequestSchema,
  diffQuerySchema,
  pruneRequestSchema,
  restoreRequestSchema,
  settleRestoreRequestSchema,
  withActor,
} from '@/lib/recovery/recovery-api';
import type { DiffLineView, PruneResultView, RecoveryOverviewView, RestoreResultView } from '@/lib/recovery/recovery-views';
import { RECOVERY_OPERATIONS, RECOVERY_PHASES, snapshotHeaderSchema, verificationSummarySchema } from '@/lib/recovery/snapshot-schema';
import { defineRoute } from './route-contract';
import { isoTime, jsonObject, okSchema, view } from './wire';

/** Progress relayed by a CLI run, validated like any other input before it reaches browsers. */
export const relayedProgressSchema = z.object({
  operationId: z.string().max(64),
  operation: z.enum(RECOVERY_OPERATIONS),
  snapshot: z.string().max(200),
  phase: z.enum(RECOVERY_PHASES),
  filesDone: z.number().nonnegative(),
  filesTotal: z.number().nonnegative(),
  bytesDone: z.number().nonnegative(),
  bytesTotal: z.number().nonnegative(),
  etaMs: z.number().nonnegative().nullable(),
  startedAt: z.string().max(40),
  finished: z.boolean(),
  ok: z.boolean().optional(),
  message: z.string().max(2000).optional(),
});

const overviewSchema = view<RecoveryOverviewView>({
  snapshots: z.array(snapshotHeaderSchema),
  golden: z.object({
    newest: z.object({ id: z.string(), name: z.string(), createdAt: isoTime }).nullable(),
    verifiedAt: isoTime.nullable(),
    maxAgeHours: z.number(),
    stale: z.boolean(),
  }),
  pendingRestore: z.object({ snapshotName: z.string(), startedAt: isoTime, phase: z.string(), actor: z.string() }).nullable(),
  running: z.looseObject({ operationId: z.string(), phase: z.enum(RECOVERY_PHASES) }).nullable(),
  sources: z.array(z.object({ name: z.string(), path: z.string() })),
  storePath: z.string(),
});

export const restoreResultSchema = view<RestoreResultView>({
  snapshot: z.object({ id: z.string(), name: z.string(), manifestHash: z.string() }),
  outcome: z.enum(['restored', 'dry-run', 'rolled-back', 'up-to-date']),
  changes: z.array(jsonObject),
  filesWritten: z.number(),
  bytesWritten: z.number(),
  removed: z.number(),
  durationMs: z.number(),
  gate: z
    .object({ ok: z.boolean(), checks: z.array(z.object({ check: z.string(), ok: z.boolean(), message: z.string() })), durationMs: z.number() })
    .nullable(),
  rollbackReason: z.string().optional(),
});

const diffLineSchema = z.object({
  path: z.string(),
  change: z.enum(['added', 'removed', 'changed']),
  before: z.string().optional(),
  after: z.string().optional(),
}) satisfies z.ZodType<DiffLineView>;

const pruneResultSchema = z.object({
  removedSnapshots: z.array(z.string()),
  removedBlobs: z.number(),
  freedBytes: z.number(),
  keptSnapshots: z.number(),
  dryRun: z.boolean(),
}) satisfies z.ZodType<PruneResultView>;

const actorOnly = z.object({ actor: z.string().min(1).max(200) });

/** Snapshots, restores and retention, for the web app (already authenticated and authorised) and CLI progress. */
export const recoveryContracts = {
  overview: defineRoute({
    method: 'GET',
    path: '/internal/v1/recovery',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Snapshots, golden status and any interrupted restore',
    response: overviewSchema,
  }),
  createSnapshot: defineRoute({
    method: 'POST',
    path: '/internal/v1/recovery/snapshots',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Create a snapshot',
    body: withActor(createSnapshotRequestSchema),
    response: snapshotHeaderSchema,
  }),
  verifySnapshot: defineRoute({
    method: 'POST',
    path: '/internal/v1/recovery/snapshots/:ref/verify',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Verify a snapshot against its hashes',
    body: actorOnly,
    response: verificationSummarySchema,
  }),
  restoreSnapshot: defineRoute({
    method: 'POST',
    path: '/internal/v1/recovery/snapshots/:ref/restore',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Golden restore (aborts on corruption)',
    body: withActor(restoreRequestSchema),
    response: restoreResultSchema,
  }),
  diffSnapshot: defineRoute({
    method: 'GET',
    path: '/internal/v1/recovery/snapshots/:ref/diff',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Differences between a snapshot and the live tree or another snapshot',
    query: diffQuerySchema,
    response: z.array(diffLineSchema),
  }),
  settleRestore: defineRoute({
    method: 'POST',
    path: '/internal/v1/recovery/settle',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Settle an interrupted restore',
    body: withActor(settleRestoreRequestSchema),
    response: restoreResultSchema,
  }),
  pruneSnapshots: defineRoute({
    method: 'POST',
    path: '/internal/v1/recovery/prune',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Apply the retention policy',
    body: withActor(pruneRequestSchema),
    response: pruneResultSchema,
  }),
  relayProgress: defineRoute({
    method: 'POST',
    path: '/internal/v1/recovery/progress',
    auth: 'internal',
    status: 202,
    tag: 'Internal',
    summary: 'Progress of a CLI snapshot run, for the dashboard',
    body: relayedProgressSchema,
    response: okSchema,
  }),
};
