import type { AlertService } from '../../alerts/alert-service';
import { alertsContracts } from '../../contracts';
import type { Router } from '../router';

/** The console's alerting: the web app relays each call with the operator's name. */
export function registerAlertRoutes(router: Router, deps: { alerts: AlertService }): void {
  const { alerts } = deps;
  router.add({ ...alertsContracts.overview, handler: () => alerts.overview() });
  router.add({
    ...alertsContracts.acknowledge,
    handler: ({ params, body }) => alerts.acknowledge({ id: params.id, actor: body.actor, comment: body.comment }),
  });
  router.add({ ...alertsContracts.createSilence, handler: ({ body }) => alerts.createSilence(body) });
  router.add({ ...alertsContracts.expireSilence, handler: ({ params, body }) => alerts.expireSilence({ id: params.id, actor: body.actor }) });
  router.add({ ...alertsContracts.saveRule, handler: ({ body }) => alerts.saveRule(body) });
  router.add({ ...alertsContracts.removeRule, handler: ({ body }) => alerts.removeRule(body) });
}
