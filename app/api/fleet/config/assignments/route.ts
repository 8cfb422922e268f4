import { actorOf } from '@/lib/auth/actor';
import { canAdminister, canView } from '@/lib/auth/roles';
import { fleetConfigSaveSchema } from '@/lib/fleet/fleet-config-api';
import { fleetConfigContracts } from '@/server/contracts';
import { apiRoute } from '@/app/_lib/api-route';

/** Every configuration assignment with its newest version. */
export const GET = apiRoute({
  authorize: canView,
  handler: ({ web }) => web.worker.call(fleetConfigContracts.internalAssignments, {}),
});

/** Saves a new version of the configuration assigned to a host or to some labels; pushed to the hosts it reaches. */
export const POST = apiRoute({
  authorize: canAdminister,
  body: fleetConfigSaveSchema,
  handler: async ({ web, principal, body }) =>
    Response.json(await web.worker.call(fleetConfigContracts.internalSaveAssignment, { body: { ...body, actor: actorOf(principal) } }), {
      status: 201,
      headers: { 'cache-control': 'no-store' },
    }),
});
