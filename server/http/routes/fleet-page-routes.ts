import { hostIdParamSchema } from '@/lib/fleet/fleet-api';
import { HttpError } from '@/lib/http-error';
import { fleetPageContracts } from '../../contracts';
import type { FleetConsole } from '../../fleet';
import type { Router } from '../router';

/** The web app's fleet page: the hosts list and revocation, the operator named by the web app that checked their role. */
export function registerFleetPageRoutes(router: Router, { fleet }: { fleet: Pick<FleetConsole, 'hub'> }): void {
  router.add({ ...fleetPageContracts.hosts, handler: () => fleet.hub.hosts() });

  router.add({
    ...fleetPageContracts.revokeHost,
    handler: async ({ body, params }) => {
      const id = hostIdParamSchema.safeParse(params.id);
      if (!id.success) throw new HttpError(400, 'invalid_params', 'id: a host id is a positive whole number');
      await fleet.hub.revoke(id.data, body.actor);
      return { revoked: id.data };
    },
  });
}
