import { HttpError } from '@/lib/http-error';
import { canView } from '@/lib/auth/roles';
import { incidentIdSchema } from '@/lib/healing/healing-api';
import { apiRoute } from '@/app/_lib/api-route';

/** One incident with its timeline: detected, classified, each action, escalations, resolution. */
export const GET = apiRoute({
  authorize: canView,
  handler: ({ web, params }) => {
    const id = incidentIdSchema.safeParse(params.id);
    if (!id.success) throw new HttpError(422, 'invalid_request', `id: ${id.error.issues[0].message}`);
    return web.worker.incident(id.data);
  },
});
