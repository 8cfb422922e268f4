import { actorOf } from '@/lib/auth/actor';
import { canOperate } from '@/lib/auth/roles';
import { settingsContracts } from '@/server/contracts';
import { apiRoute } from '@/app/_lib/api-route';

/** Sends one test notification through a channel in force; changes nothing, so an operator may. */
export const POST = apiRoute({
  authorize: canOperate,
  handler: ({ web, principal, params }) =>
    web.worker.call(settingsContracts.testChannel, { params: { name: params.name }, body: { actor: actorOf(principal) } }),
});
