import { HttpError } from '@/lib/http-error';
import { canOperate } from '@/lib/auth/roles';
import { revokeShareLink } from '@/server/queries/share-links';
import { apiRoute, requestAddress } from '@/app/_lib/api-route';
import { recordWebEvent } from '@/app/_lib/web-audit';
import { actorOf } from '@/lib/auth/actor';

export const DELETE = apiRoute({
  authorize: canOperate,
  async handler({ web, principal, params, request }) {
    if (!(await revokeShareLink(web.database.prisma, params.id, new Date()))) throw new HttpError(404, 'not_found', 'no active link with that id');
    await recordWebEvent(web, {
      type: 'share.revoked',
      severity: 'notice',
      actor: actorOf(principal),
      action: 'revoke share link',
      module: 'web',
      resource: `share:${params.id}`,
      source: requestAddress(request, web),
      method: 'operator action',
    });
    return { ok: true };
  },
});
