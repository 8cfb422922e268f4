import { canOperate } from '@/lib/auth/roles';
import { actorOf } from '@/lib/auth/actor';
import { statusPostUpdateSchema } from '@/lib/status-pages/status-page-schema';
import { statusPageContracts } from '@/server/contracts';
import { apiRoute } from '@/app/_lib/api-route';

export const POST = apiRoute({
  authorize: canOperate,
  body: statusPostUpdateSchema,
  handler: ({ web, principal, params, body }) =>
    web.worker.call(statusPageContracts.updatePost, { params: { slug: params.slug, id: params.id }, body: { actor: actorOf(principal), update: body } }),
});
