import { actorOf } from '@/lib/auth/actor';
import { hostIdParamSchema } from '@/lib/fleet/fleet-api';
import { HttpError } from '@/lib/http-error';
import { fleetContracts } from '../../contracts';
import type { FleetConsole } from '../../fleet';
import type { Router } from '../router';

/** The fleet's machine API: enrollment tokens, agents enrolling with them, the hosts list and revocation. */
export function registerFleetRoutes(router: Router, { fleet }: { fleet: FleetConsole }): void {
  router.add({
    ...fleetContracts.createEnrollment,
    handler: ({ principal, body }) => fleet.createEnrollmentToken({ ...body, actor: actorOf(principal) }),
  });

  router.add({
    ...fleetContracts.enrollAgent,
    handler: ({ body, req }) => fleet.enrollAgent(body, fleet.sourceOf(req)),
  });

  router.add({ ...fleetContracts.hosts, handler: () => fleet.hub.hosts() });

  router.add({
    ...fleetContracts.revokeHost,
    handler: async ({ principal, params }) => {
      const id = hostIdParamSchema.safeParse(params.id);
      if (!id.success) throw new HttpError(400, 'invalid_params', 'id: a host id is a positive whole number');
      await fleet.hub.revoke(id.data, actorOf(principal));
      return { revoked: id.data };
    },
  });
}
