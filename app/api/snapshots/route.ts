import { canOperate, canView } from '@/lib/auth/roles';
import { createSnapshotRequestSchema } from '@/lib/recovery/recovery-api';
import { apiRoute } from '@/app/_lib/api-route';
import { actorOf } from '@/lib/auth/actor';

/** Snapshots, the golden status and any restore left interrupted. */
export const GET = apiRoute({
  authorize: canView,
  handler: ({ web }) => web.worker.recoveryOverview(),
});

export const POST = apiRoute({
  authorize: canOperate,
  body: createSnapshotRequestSchema,
  handler: ({ web, principal, body }) => web.worker.createSnapshot({ ...body, actor: actorOf(principal) }),
});
