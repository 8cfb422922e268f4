import { canAdminister } from '@/lib/auth/roles';
import { restoreRequestSchema } from '@/lib/recovery/recovery-api';
import { apiRoute } from '@/app/_lib/api-route';
import { actorOf } from '@/lib/auth/actor';

/** Golden restore, or its dry run: admins only, since it rewrites the monitored files. */
export const POST = apiRoute({
  authorize: canAdminister,
  body: restoreRequestSchema,
  handler: ({ web, principal, body, params }) => web.worker.restoreSnapshot({ ref: params.ref, ...body, actor: actorOf(principal) }),
});
