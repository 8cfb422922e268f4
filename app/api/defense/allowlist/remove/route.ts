import { canAdminister } from '@/lib/auth/roles';
import { allowlistRequestSchema } from '@/lib/defense/defense-api';
import { apiRoute } from '@/app/_lib/api-route';
import { actorOf } from '@/lib/auth/actor';

/** Removes an entry added in the console; entries from the config file are edited there. */
export const POST = apiRoute({
  authorize: canAdminister,
  body: allowlistRequestSchema,
  handler: ({ web, principal, body }) => web.worker.disallowSource({ ...body, actor: actorOf(principal) }),
});
