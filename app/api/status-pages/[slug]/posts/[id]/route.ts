import { canOperate } from '@/lib/auth/roles';
import { actorOf } from '@/lib/auth/actor';
import { statusPageContracts } from '@/server/contracts';
import { apiRoute } from '@/app/_lib/api-route';

export const DELETE = apiRoute({
  authorize: canOperate,
  handler: ({ web, principal, params }) =>
    web.worker.call(statusPageContracts.removePost, { params: { slug: params.slug, id: params.id }, body: { actor: actorOf(principal) } }),
});
