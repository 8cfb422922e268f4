import { actorOf } from '@/lib/auth/actor';
import { fleetCommandIdParamSchema } from '@/lib/fleet/fleet-command-api';
import { HttpError } from '@/lib/http-error';
import { fleetCommandContracts } from '../../contracts';
import type { FleetCommander } from '../../fleet/fleet-commander';
import type { Router } from '../router';

function commandId(params: Record<string, string>): string {
  const id = fleetCommandIdParamSchema.safeParse(params.id);
  if (!id.success) throw new HttpError(400, 'invalid_params', 'id: a fleet command id is a UUID');
  return id.data;
}

/** Commands to hosts of the fleet: sending one (a restore needs an admin, checked by the commander) and following it. */
export function registerFleetCommandRoutes(router: Router, { commander }: { commander: FleetCommander }): void {
  router.add({
    ...fleetCommandContracts.sendCommand,
    handler: ({ principal, body }) => commander.issue(body, { actor: actorOf(principal), role: principal.role }),
  });
  router.add({ ...fleetCommandContracts.command, handler: ({ params }) => commander.view(commandId(params)) });

  router.add({
    ...fleetCommandContracts.internalSendCommand,
    handler: ({ body: { actor, role, ...request } }) => commander.issue(request, { actor, role }),
  });
  router.add({ ...fleetCommandContracts.internalCommand, handler: ({ params }) => commander.view(commandId(params)) });
}
