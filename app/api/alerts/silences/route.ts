import { silenceInputSchema, silenceNeedsAdmin } from '@/lib/alerts/alert-rules';
import { HttpError } from '@/lib/http-error';
import { actorOf } from '@/lib/auth/actor';
import { canAdminister, canOperate } from '@/lib/auth/roles';
import { alertsContracts } from '@/server/contracts';
import { apiRoute } from '@/app/_lib/api-route';

/**
 * Silences alerts whose labels match until it expires; the operator is its author. One that pins
 * no exact module, resource or source mutes whole classes of pages: admins only.
 */
export const POST = apiRoute({
  authorize: canOperate,
  body: silenceInputSchema,
  handler: ({ web, principal, body }) => {
    if (silenceNeedsAdmin(body.matchers) && !canAdminister(principal))
      throw new HttpError(403, 'admin_required', 'a silence that names no exact module, resource or source mutes whole classes of alerts: it needs an admin');
    return web.worker.call(alertsContracts.createSilence, { body: { ...body, actor: actorOf(principal) } });
  },
});
