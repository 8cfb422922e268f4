import { canOperate } from '@/lib/auth/roles';
import { canonicalSourceSchema, restoreRequestSchema } from '@/lib/defense/defense-api';
import { apiRoute } from '@/app/_lib/api-route';
import { actorOf } from '@/lib/auth/actor';

// The source travels in the body: a CIDR range has a slash that a path segment would mangle.
const restoreSourceSchema = restoreRequestSchema.extend({ source: canonicalSourceSchema });

/** Lets an isolated source through the guard again. */
export const POST = apiRoute({
  authorize: canOperate,
  body: restoreSourceSchema,
  handler: ({ web, principal, body }) => web.worker.restoreSource({ ...body, actor: actorOf(principal) }),
});
