import { canOperate } from '@/lib/auth/roles';
import { apiRoute } from '@/app/_lib/api-route';
import { healingActorOf } from '@/app/_lib/actor';

/** Removes a console module (the worker refuses config-file ones, and command ones for non-admins). */
export const DELETE = apiRoute({
  authorize: canOperate,
  handler: ({ web, principal, params }) => web.worker.removeModule({ name: params.name, actor: healingActorOf(principal) }),
});
