import { machineContracts } from '../../contracts';
import { AlertIntake, type AlertIntakeDeps } from '../alert-intake';
import type { Router } from '../router';
import { actorOf } from '@/lib/auth/actor';

export function registerAlertmanagerRoutes(router: Router, deps: AlertIntakeDeps): void {
  const intake = new AlertIntake(deps);
  router.add({ ...machineContracts.alertmanager, handler: ({ body, principal }) => intake.receive(body.alerts, actorOf(principal)) });
}
