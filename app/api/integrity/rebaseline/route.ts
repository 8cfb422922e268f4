import { canAdminister } from '@/lib/auth/roles';
import { rebaselineRequestSchema } from '@/lib/integrity/integrity-status';
import { apiRoute } from '@/app/_lib/api-route';
import { actorOf } from '@/lib/auth/actor';

const bodySchema = rebaselineRequestSchema.omit({ actor: true }).strict();

/** Accepts the files as they are now as the new baseline: admins only, since it forgives tampering. */
export const POST = apiRoute({
  authorize: canAdminister,
  body: bodySchema,
  handler: ({ web, principal, body }) => web.worker.rebaselineIntegrity({ ...body, actor: actorOf(principal) }),
});
