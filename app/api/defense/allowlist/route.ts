import { canAdminister } from '@/lib/auth/roles';
import { allowlistRequestSchema } from '@/lib/defense/defense-api';
import { apiRoute } from '@/app/_lib/api-route';
import { actorOf } from '@/lib/auth/actor';

/** Adds a source that is never isolated and passes even a lockdown: admins only. */
export const POST = apiRoute({
  authorize: canAdminister,
  body: allowlistRequestSchema,
  handler: ({ web, principal, body }) => web.worker.allowSource({ ...body, actor: actorOf(principal) }),
});
