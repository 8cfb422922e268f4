import { HttpError } from '@/lib/http-error';
import { canAdminister } from '@/lib/auth/roles';
import { revokeApiToken } from '@/server/queries/api-tokens';
import { apiRoute, requestAddress } from '@/app/_lib/api-route';
import { recordWebEvent } from '@/app/_lib/web-audit';
import { actorOf } from '@/lib/auth/actor';

export const DELETE = apiRoute({
  authorize: canAdminister,
  async handler({ web, principal, params, request }) {
    if (!(await revokeApiToken(web.database.prisma, params.id))) throw new HttpError(404, 'not_found', 'no active token with that id');
    await recordWebEvent(web, {
      type: 'token.revoked',
      severity: 'notice',
      actor: actorOf(principal),
      action: 'revoke API token',
      module: 'web',
      resource: `token:${params.id}`,
      source: requestAddress(request, web),
      method: 'operator action',
    });
    return { ok: true };
  },
});
