import { canView } from '@/lib/auth/roles';
import { apiRoute, requestAddress } from '@/app/_lib/api-route';
import { finishSession } from '@/app/_lib/session';
import { recordWebEvent } from '@/app/_lib/web-audit';

export const POST = apiRoute({
  authorize: canView,
  async handler({ web, principal, request }) {
    await finishSession(web);
    await recordWebEvent(web, { type: 'auth.logout', severity: 'info', actor: `user:${principal.name}`, action: 'sign out', module: 'web', source: requestAddress(request, web), method: 'session' });
    return { ok: true };
  },
});
