import { alertmanagerWebhookSchema } from '@/lib/alerts/alertmanager-webhook';
import type { ApiTokenAuthenticator } from '../../auth/api-tokens';
import { AlertIntake, type AlertIntakeDeps } from '../alert-intake';
import { requireToken } from '../auth';
import { sendJson, type Router } from '../router';
import { actorOf } from '@/lib/auth/actor';

export function registerAlertmanagerRoutes(router: Router, deps: AlertIntakeDeps & { tokens: ApiTokenAuthenticator }): void {
  const intake = new AlertIntake(deps);
  router.add('POST', '/api/v1/alertmanager', async (ctx) => {
    const principal = await requireToken(ctx.req, deps.tokens, 'alerts:write');
    const body = await ctx.json(alertmanagerWebhookSchema);
    sendJson(ctx.res, 200, await intake.receive(body.alerts, actorOf(principal)));
  });
}
