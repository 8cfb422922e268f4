import { canView } from '@/lib/auth/roles';
import { apiRoute, requestAddress } from '@/app/_lib/api-route';
import { finishSession } from '@/app/_lib/session';
import { recordWebEvent } from '@/app/_lib/web-audit';
import { actorOf } from '@/lib/auth/actor';

export const POST = apiRoute({
  authorize: canView,
  async handler({ web, principal, request }) {
    // An API token has no session to end; only a signed-in person's cookie is cleared.
    if (principal.kind === 'user') await finishSession(web);
    await recordWebEvent(web, {
      type: 'auth.logout',
      severity: 'info',
      actor: actorOf(principal),
      action: 'sign out',
      module: 'web',
      source: requestAddress(request, web),
      method: 'session',
    });
    return { ok: true };
  },
});
