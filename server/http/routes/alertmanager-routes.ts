import { alertmanagerWebhookSchema } from '@/lib/alerts/alertmanager-webhook';
import { AlertIntake, type AlertIntakeDeps } from '../alert-intake';
import { sendJson, type Router } from '../router';
import { actorOf } from '@/lib/auth/actor';

export function registerAlertmanagerRoutes(router: Router, deps: AlertIntakeDeps): void {
  const intake = new AlertIntake(deps);
  router.add({ method: 'POST', path: '/api/v1/alertmanager', auth: 'alerts:write', handler: async (ctx) => {
    const { principal } = ctx;
    const body = await ctx.json(alertmanagerWebhookSchema);
    sendJson(ctx.res, 200, await intake.receive(body.alerts, actorOf(principal)));
  } });
}
