import { canOperate } from '@/lib/auth/roles';
import { moduleControlRequestSchema } from '@/lib/healing/healing-api';
import { apiRoute } from '@/app/_lib/api-route';
import { healingActorOf } from '@/app/_lib/actor';

/** Pause, resume or restart a module now, with the reason kept in the audit trail. */
export const POST = apiRoute({
  authorize: canOperate,
  body: moduleControlRequestSchema,
  handler: ({ web, principal, params, body }) => web.worker.controlModule({ name: params.name, ...body, actor: healingActorOf(principal) }),
});
