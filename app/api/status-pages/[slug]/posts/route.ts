import { canOperate } from '@/lib/auth/roles';
import { actorOf } from '@/lib/auth/actor';
import { createStatusPostSchema } from '@/lib/status-pages/status-page-schema';
import { statusPageContracts } from '@/server/contracts';
import { apiRoute } from '@/app/_lib/api-route';

/** A page's incident and maintenance posts: open, upcoming and recently closed. */
export const GET = apiRoute({
  authorize: canOperate,
  handler: ({ web, params }) => web.worker.call(statusPageContracts.posts, { params: { slug: params.slug } }),
});

export const POST = apiRoute({
  authorize: canOperate,
  body: createStatusPostSchema,
  handler: async ({ web, principal, params, body }) =>
    Response.json(await web.worker.call(statusPageContracts.createPost, { params: { slug: params.slug }, body: { actor: actorOf(principal), post: body } }), {
      status: 201,
    }),
});
