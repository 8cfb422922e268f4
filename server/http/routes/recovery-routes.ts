import { HttpError } from '@/lib/http-error';
import { snapshotNameSchema, type RecoveryProgress } from '@/lib/recovery/snapshot-schema';
import { recoveryContracts } from '../../contracts';
import type { RecoveryService } from '../../recovery';
import type { Router } from '../router';

function snapshotRef(params: Record<string, string>): string {
  const parsed = snapshotNameSchema.safeParse(params.ref);
  if (!parsed.success) throw new HttpError(422, 'invalid_request', `snapshot: ${parsed.error.issues[0].message}`);
  return parsed.data;
}

/** Snapshot commands from the web app (already authenticated and authorised) and CLI progress. */
export function registerRecoveryRoutes(router: Router, deps: { recovery: RecoveryService; relayProgress: (progress: RecoveryProgress) => void }): void {
  const { recovery } = deps;

  router.add({ ...recoveryContracts.overview, handler: () => recovery.overview() });
  router.add({ ...recoveryContracts.createSnapshot, handler: ({ body }) => recovery.create(body) });
  router.add({
    ...recoveryContracts.verifySnapshot,
    handler: async ({ params, body }) => (await recovery.verify({ ref: snapshotRef(params), actor: body.actor })).summary,
  });
  router.add({ ...recoveryContracts.restoreSnapshot, handler: ({ params, body }) => recovery.restore({ ref: snapshotRef(params), ...body }) });
  router.add({ ...recoveryContracts.diffSnapshot, handler: ({ params, query }) => recovery.diff({ ref: snapshotRef(params), against: query.against }) });
  router.add({ ...recoveryContracts.settleRestore, handler: ({ body }) => recovery.settle(body) });
  router.add({ ...recoveryContracts.pruneSnapshots, handler: ({ body }) => recovery.prune(body) });
  router.add({
    ...recoveryContracts.relayProgress,
    handler: ({ body }) => {
      deps.relayProgress(body);
      return { ok: true as const };
    },
  });
}
