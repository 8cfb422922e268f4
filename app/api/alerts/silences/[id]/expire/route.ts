import { actorOf } from '@/lib/auth/actor';
import { canOperate } from '@/lib/auth/roles';
import { alertsContracts } from '@/server/contracts';
import { apiRoute } from '@/app/_lib/api-route';

/** Ends a silence now. */
export const POST = apiRoute({
  authorize: canOperate,
  handler: ({ web, principal, params }) => web.worker.call(alertsContracts.expireSilence, { params: { id: params.id }, body: { actor: actorOf(principal) } }),
});
