import { canAdminister } from '@/lib/auth/roles';
import { actorOf } from '@/lib/auth/actor';
import { statusPageContracts } from '@/server/contracts';
import { apiRoute } from '@/app/_lib/api-route';

export const DELETE = apiRoute({
  authorize: canAdminister,
  handler: ({ web, principal, params }) => web.worker.call(statusPageContracts.remove, { params: { slug: params.slug }, body: { actor: actorOf(principal) } }),
});
