import { canView } from '@/lib/auth/roles';
import type { BouncerList } from '@/lib/defense/bouncers';
import { apiRoute } from '@/app/_lib/api-route';
import { listBouncerViews } from '@/server/queries/bouncers';

/** The CrowdSec bouncers and their pulls, as the worker last wrote them (a few seconds behind at most). */
export const GET = apiRoute({
  authorize: canView,
  handler: async ({ web }): Promise<BouncerList> => ({ bouncers: await listBouncerViews(web.database.prisma) }),
});
