import { z } from 'zod';
import {
  createSnapshotRequestSchema,
  diffQuerySchema,
  pruneRequestSchema,
  restoreRequestSchema,
  settleRestoreRequestSchema,
  withActor,
} from '@/lib/recovery/recovery-api';
import { RECOVERY_PHASES, snapshotNameSchema, type RecoveryProgress } from '@/lib/recovery/snapshot-schema';
import { RecoveryError, type RecoveryService } from '../../recovery';
import { HttpError, sendJson, type RequestContext, type Router } from '../router';

const STATUS: Record<RecoveryError['code'], number> = {
  'bad-input': 422,
  'not-found': 404,
  exists: 409,
  busy: 409,
  'interrupted-restore': 409,
  corrupt: 409,
  'unsafe-path': 422,
  'source-missing': 422,
  'hook-failed': 502,
  'health-gate-failed': 502,
  'no-space': 507,
  io: 500,
};

/** Progress relayed by a CLI run, validated like any other input before it reaches browsers. */
const relayedProgressSchema = z.object({
  operationId: z.string().max(64),
  operation: z.enum(['create', 'verify', 'restore', 'prune']),
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

async function answer(ctx: RequestContext, work: () => Promise<unknown>): Promise<void> {
  try {
    sendJson(ctx.res, 200, await work());
  } catch (error) {
    if (error instanceof RecoveryError) throw new HttpError(STATUS[error.code], error.code, error.message);
    throw error;
  }
}

function snapshotRef(ctx: RequestContext): string {
  const parsed = snapshotNameSchema.safeParse(ctx.params.ref);
  if (!parsed.success) throw new HttpError(422, 'invalid_request', `snapshot: ${parsed.error.issues[0].message}`);
  return parsed.data;
}

/** Snapshot commands from the web app (already authenticated and authorised) and CLI progress. */
export function registerRecoveryRoutes(router: Router, deps: { recovery: RecoveryService; relayProgress: (progress: RecoveryProgress) => void }): void {
  const { recovery } = deps;

  router.add({ method: 'GET', path: '/internal/v1/recovery', auth: 'internal', handler: (ctx) => answer(ctx, () => recovery.overview()) });

  router.add({ method: 'POST', path: '/internal/v1/recovery/snapshots', auth: 'internal', handler: async (ctx) => {
    const body = await ctx.json(withActor(createSnapshotRequestSchema));
    await answer(ctx, () => recovery.create(body));
  } });

  router.add({ method: 'POST', path: '/internal/v1/recovery/snapshots/:ref/verify', auth: 'internal', handler: async (ctx) => {
    const body = await ctx.json(z.object({ actor: z.string().min(1).max(200) }));
    await answer(ctx, async () => (await recovery.verify({ ref: snapshotRef(ctx), actor: body.actor })).summary);
  } });

  router.add({ method: 'POST', path: '/internal/v1/recovery/snapshots/:ref/restore', auth: 'internal', handler: async (ctx) => {
    const body = await ctx.json(withActor(restoreRequestSchema));
    await answer(ctx, () => recovery.restore({ ref: snapshotRef(ctx), ...body }));
  } });

  router.add({ method: 'GET', path: '/internal/v1/recovery/snapshots/:ref/diff', auth: 'internal', handler: async (ctx) => {
    const query = diffQuerySchema.safeParse(Object.fromEntries(ctx.url.searchParams));
    if (!query.success) throw new HttpError(422, 'invalid_request', `against: ${query.error.issues[0].message}`);
    await answer(ctx, () => recovery.diff({ ref: snapshotRef(ctx), against: query.data.against }));
  } });

  router.add({ method: 'POST', path: '/internal/v1/recovery/settle', auth: 'internal', handler: async (ctx) => {
    const body = await ctx.json(withActor(settleRestoreRequestSchema));
    await answer(ctx, () => recovery.settle(body));
  } });

  router.add({ method: 'POST', path: '/internal/v1/recovery/prune', auth: 'internal', handler: async (ctx) => {
    const body = await ctx.json(withActor(pruneRequestSchema));
    await answer(ctx, () => recovery.prune(body));
  } });

  router.add({ method: 'POST', path: '/internal/v1/recovery/progress', auth: 'internal', handler: async (ctx) => {
    deps.relayProgress(await ctx.json(relayedProgressSchema));
    sendJson(ctx.res, 202, { ok: true });
  } });
}
