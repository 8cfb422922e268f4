import { HttpError } from '@/lib/http-error';
import { canAdminister, canOperate } from '@/lib/auth/roles';
import { pruneRequestSchema } from '@/lib/recovery/recovery-api';
import { apiRoute } from '@/app/_lib/api-route';
import { actorOf } from '@/lib/auth/actor';

/** Operators may preview what the retention policy would drop; only admins delete snapshots. */
export const POST = apiRoute({
  authorize: canOperate,
  body: pruneRequestSchema,
  handler: ({ web, principal, body }) => {
    if (!body.dryRun && !canAdminister(principal)) throw new HttpError(403, 'forbidden', `your role (${principal.role}) may only preview a prune`);
    return web.worker.pruneSnapshots({ dryRun: body.dryRun, actor: actorOf(principal) });
  },
});
