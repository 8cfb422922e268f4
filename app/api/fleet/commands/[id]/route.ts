import { canView } from '@/lib/auth/roles';
import { fleetCommandIdParamSchema } from '@/lib/fleet/fleet-command-api';
import { HttpError } from '@/lib/http-error';
import { apiRoute } from '@/app/_lib/api-route';

/** A fleet command with its status and last answer on every host it went to. */
export const GET = apiRoute({
  authorize: canView,
  handler: ({ web, params }) => {
    const id = fleetCommandIdParamSchema.safeParse(params.id);
    if (!id.success) throw new HttpError(422, 'invalid_request', `id: ${id.error.issues[0].message}`);
    return web.worker.fleetCommand(id.data);
  },
});
