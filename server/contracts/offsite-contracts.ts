import { z } from 'zod';
import { offsiteCheckRequestSchema, offsiteCopyRequestSchema, offsiteForgetRequestSchema, offsiteRestoreRequestSchema } from '@/lib/recovery/offsite-api';
import type { OffsiteCheckResultView, OffsiteCopyView, OffsiteForgetView, OffsiteOverviewView, OffsiteRepositoryView } from '@/lib/recovery/offsite-views';
import { withActor } from '@/lib/recovery/recovery-api';
import { restoreResultSchema } from './recovery-contracts';
import { defineRoute } from './route-contract';
import { isoTime, view } from './wire';

/** restic runs as long as the upload or download takes. */
export const OFFSITE_OPERATION_TIMEOUT_MS = 60 * 60_000;

const checkSchema = z.object({ at: isoTime, ok: z.boolean(), message: z.string() });

const copySchema = view<OffsiteCopyView>({
  repo: z.string(),
  snapshotId: z.string(),
  snapshotName: z.string(),
  resticId: z.string(),
  copiedAt: isoTime,
  verifiedAt: isoTime.nullable(),
  verifyOk: z.boolean().nullable(),
});

const repositorySchema = view<OffsiteRepositoryView>({
  name: z.string(),
  repository: z.string(),
  keep: z.record(z.string(), z.number()).nullable(),
  copyEveryHours: z.number().nullable(),
  checkEveryHours: z.number(),
  readDataSubset: z.string(),
  lastCopyAt: isoTime.nullable(),
  lastCheck: checkSchema.nullable(),
  lastError: checkSchema.nullable(),
});

const overviewSchema = view<OffsiteOverviewView>({
  enabled: z.boolean(),
  reason: z.string().nullable(),
  repositories: z.array(repositorySchema),
  copies: z.array(copySchema),
});

const forgetSchema = view<OffsiteForgetView>({ repo: z.string(), dryRun: z.boolean(), keep: z.array(copySchema), remove: z.array(copySchema) });

const checkResultSchema = view<OffsiteCheckResultView>({
  repo: z.string(),
  ok: z.boolean(),
  message: z.string(),
  restoreTest: z.object({ snapshotName: z.string(), files: z.number(), problems: z.number() }).nullable(),
});

/** Off-site copies in restic repositories, for the web app (already authenticated and authorised). */
export const offsiteContracts = {
  offsiteOverview: defineRoute({
    method: 'GET',
    path: '/internal/v1/recovery/offsite',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Off-site repositories, the copies each holds and when each was last verified',
    response: overviewSchema,
  }),
  offsiteCopy: defineRoute({
    method: 'POST',
    path: '/internal/v1/recovery/offsite/copy',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Copy a snapshot into an off-site repository',
    body: withActor(offsiteCopyRequestSchema),
    response: copySchema,
  }),
  offsiteList: defineRoute({
    method: 'GET',
    path: '/internal/v1/recovery/offsite/:repo',
    auth: 'internal',
    tag: 'Internal',
    summary: "Vigil's snapshots in one off-site repository, as restic lists them",
    response: z.array(copySchema),
  }),
  offsiteRestore: defineRoute({
    method: 'POST',
    path: '/internal/v1/recovery/offsite/:repo/restore',
    auth: 'internal',
    tag: 'Internal',
    summary: 'Fetch a snapshot from an off-site repository and restore it through the golden restore',
    body: withActor(offsiteRestoreRequestSchema),
    response: restoreResultSchema,
  }),
  offsiteCheck: defineRoute({
    method: 'POST',
    path: '/internal/v1/recovery/offsite/:repo/check',
    auth: 'internal',
    tag: 'Internal',
    summary: 'restic check and a restore test of the newest copy',
    body: withActor(offsiteCheckRequestSchema),
    response: checkResultSchema,
  }),
  offsiteForget: defineRoute({
    method: 'POST',
    path: '/internal/v1/recovery/offsite/:repo/forget',
    auth: 'internal',
    tag: 'Internal',
    summary: "The repository's retention: planned (dry run) or applied with restic forget --prune",
    body: withActor(offsiteForgetRequestSchema),
    response: forgetSchema,
  }),
};
