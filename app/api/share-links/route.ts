import { canOperate } from '@/lib/auth/roles';
import { createShareLinkSchema } from '@/lib/share/share-view';
import { createShareLink } from '@/server/share/share-links';
import { listShareLinks } from '@/server/queries/share-links';
import { apiRoute, requestAddress } from '@/app/_lib/api-route';
import { recordWebEvent } from '@/app/_lib/web-audit';
import { actorOf } from '@/lib/auth/actor';

export const GET = apiRoute({
  authorize: canOperate,
  handler: async ({ web }) => ({ links: await listShareLinks(web.database.prisma) }),
});

export const POST = apiRoute({
  authorize: canOperate,
  body: createShareLinkSchema,
  async handler({ web, principal, body, request }) {
    const { id, token, expiresAt } = await createShareLink(web.database.prisma, web.env.secret, { ...body, createdBy: actorOf(principal) });
    await recordWebEvent(web, {
      type: 'share.created',
      severity: 'notice',
      actor: actorOf(principal),
      action: `share "${body.title}" (${body.view.path}) for ${body.expiresInHours} h${body.redactSources ? ', sources redacted' : ''}`,
      module: 'web',
      resource: `share:${id}`,
      source: requestAddress(request, web),
      method: 'operator action',
      details: { view: body.view, expiresAt: expiresAt.toISOString(), redactSources: body.redactSources },
    });
    // The only time the token is shown: only its hash is stored.
    return Response.json({ link: { id, path: `/share/${token}`, expiresAt } }, { status: 201 });
  },
});
