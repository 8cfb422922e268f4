import { actorOf } from '@/lib/auth/actor';
import { canAdminister } from '@/lib/auth/roles';
import { hostIdParamSchema } from '@/lib/fleet/fleet-api';
import { HttpError } from '@/lib/http-error';
import { fleetPageContracts } from '@/server/contracts';
import { apiRoute } from '@/app/_lib/api-route';

/** Cuts a host off the fleet now and for good; audited by the worker with the administrator's name. */
export const POST = apiRoute({
  authorize: canAdminister,
  handler: ({ web, principal, params }) => {
    const id = hostIdParamSchema.safeParse(params.id);
    if (!id.success) throw new HttpError(422, 'invalid_request', 'id: a host id is a positive whole number');
    return web.worker.call(fleetPageContracts.revokeHost, { params: { id: String(id.data) }, body: { actor: actorOf(principal) } });
  },
});
