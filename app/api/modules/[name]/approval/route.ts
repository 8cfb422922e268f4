import { canOperate } from '@/lib/auth/roles';
import { approvalRequestSchema } from '@/lib/healing/healing-api';
import { apiRoute } from '@/app/_lib/api-route';
import { healingActorOf } from '@/app/_lib/actor';

/** Runs (approve) or refuses (reject) the recovery action the module is waiting on. */
export const POST = apiRoute({
  authorize: canOperate,
  body: approvalRequestSchema,
  handler: ({ web, principal, params, body }) => web.worker.decideApproval({ name: params.name, approve: body.approve, actor: healingActorOf(principal) }),
});
