import { statusPostIdSchema, statusSlugSchema } from '@/lib/status-pages/status-page-schema';
import { statusPageContracts } from '../../contracts';
import { StatusPageError, type StatusPageService } from '../../status-pages';
import type { Router } from '../router';

/** A slug or post id that could never exist is simply not found: the public learns nothing more. */
function slugOf(params: Record<string, string>): string {
  const slug = statusSlugSchema.safeParse(params.slug);
  if (!slug.success) throw new StatusPageError('not_found', 'no such status page');
  return slug.data;
}

function postIdOf(params: Record<string, string>): string {
  const id = statusPostIdSchema.safeParse(params.id);
  if (!id.success) throw new StatusPageError('not_found', 'no such post');
  return id.data;
}

/** The public read of a status page for the web app, and the console's management of pages and posts. */
export function registerStatusPageRoutes(router: Router, { statusPages }: { statusPages: StatusPageService }): void {
  const c = statusPageContracts;
  router.add({ ...c.publicView, handler: ({ params }) => statusPages.publicView(slugOf(params)) });
  router.add({ ...c.domains, handler: () => ({ domains: statusPages.domains() }) });
  router.add({ ...c.list, handler: () => ({ pages: statusPages.list() }) });
  router.add({ ...c.save, handler: async ({ body }) => ({ page: await statusPages.save(body.page, body.actor) }) });
  router.add({
    ...c.remove,
    handler: async ({ params, body }) => {
      await statusPages.remove(slugOf(params), body.actor);
      return { ok: true as const };
    },
  });
  router.add({ ...c.posts, handler: ({ params }) => statusPages.posts(slugOf(params)) });
  router.add({ ...c.createPost, handler: ({ params, body }) => statusPages.createPost(slugOf(params), body.post, body.actor) });
  router.add({
    ...c.updatePost,
    handler: async ({ params, body }) => {
      await statusPages.addUpdate(slugOf(params), postIdOf(params), body.update, body.actor);
      return { ok: true as const };
    },
  });
  router.add({
    ...c.removePost,
    handler: async ({ params, body }) => {
      await statusPages.removePost(slugOf(params), postIdOf(params), body.actor);
      return { ok: true as const };
    },
  });
}
