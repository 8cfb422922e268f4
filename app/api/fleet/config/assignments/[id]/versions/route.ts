import { canView } from '@/lib/auth/roles';
import { fleetConfigIdParamSchema } from '@/lib/fleet/fleet-config-api';
import { HttpError } from '@/lib/http-error';
import { fleetConfigContracts } from '@/server/contracts';
import { apiRoute } from '@/app/_lib/api-route';

/** The versions of one assignment, newest first. */
export const GET = apiRoute({
  authorize: canView,
  handler: ({ web, params }) => {
    const id = fleetConfigIdParamSchema.safeParse(params.id);
    if (!id.success) throw new HttpError(422, 'invalid_request', 'id: an assignment id is a positive whole number');
    return web.worker.call(fleetConfigContracts.internalVersions, { params: { id: String(id.data) } });
  },
});
