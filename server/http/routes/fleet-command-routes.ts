import { actorOf } from '@/lib/auth/actor';
import { fleetCommandIdParamSchema, RECENT_FLEET_COMMANDS } from '@/lib/fleet/fleet-command-api';
import { HttpError } from '@/lib/http-error';
import { fleetCommandContracts } from '../../contracts';
import type { FleetCommander } from '../../fleet/fleet-commander';
import { recentFleetCommandViews } from '../../fleet/fleet-command-views';
import type { Router } from '../router';

function commandId(params: Record<string, string>): string {
  const id = fleetCommandIdParamSchema.safeParse(params.id);
  if (!id.success) throw new HttpError(400, 'invalid_params', 'id: a fleet command id is a UUID');
  return id.data;
}

/** Commands to hosts of the fleet: sending one (a restore needs an admin, checked by the commander), following it, and the newest ones. */
export function registerFleetCommandRoutes(
  router: Router,
  { commander, history }: { commander: FleetCommander; history: Parameters<typeof recentFleetCommandViews>[0] },
): void {
  const recent = () => recentFleetCommandViews(history, RECENT_FLEET_COMMANDS);
  router.add({
    ...fleetCommandContracts.sendCommand,
    handler: ({ principal, body }) => commander.issue(body, { actor: actorOf(principal), role: principal.role }),
  });
  router.add({ ...fleetCommandContracts.commands, handler: recent });
  router.add({ ...fleetCommandContracts.command, handler: ({ params }) => commander.view(commandId(params)) });

  router.add({
    ...fleetCommandContracts.internalSendCommand,
    handler: ({ body: { actor, role, ...request } }) => commander.issue(request, { actor, role }),
  });
  router.add({ ...fleetCommandContracts.internalCommands, handler: recent });
  router.add({ ...fleetCommandContracts.internalCommand, handler: ({ params }) => commander.view(commandId(params)) });
}
