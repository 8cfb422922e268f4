import { actorOf } from '@/lib/auth/actor';
import { canAdminister } from '@/lib/auth/roles';
import { fleetConfigIdParamSchema, fleetConfigRollbackSchema } from '@/lib/fleet/fleet-config-api';
import { HttpError } from '@/lib/http-error';
import { fleetConfigContracts } from '@/server/contracts';
import { apiRoute } from '@/app/_lib/api-route';

/** Puts an earlier version's content back as the newest version. */
export const POST = apiRoute({
  authorize: canAdminister,
  body: fleetConfigRollbackSchema,
  handler: async ({ web, principal, params, body }) => {
    const id = fleetConfigIdParamSchema.safeParse(params.id);
    if (!id.success) throw new HttpError(422, 'invalid_request', 'id: an assignment id is a positive whole number');
    const answer = await web.worker.call(fleetConfigContracts.internalRollback, {
      params: { id: String(id.data) },
      body: { ...body, actor: actorOf(principal) },
    });
    return Response.json(answer, { status: 201, headers: { 'cache-control': 'no-store' } });
  },
});
