import { canView } from '@/lib/auth/roles';
import type { IncidentListView } from '@/lib/healing/healing-views';
import { apiRoute } from '@/app/_lib/api-route';

/** Open incidents as the engine holds them now, and the latest stored ones with MTTD/MTTR. */
export const GET = apiRoute({
  authorize: canView,
  handler: async ({ web }): Promise<IncidentListView> => {
    const overview = await web.worker.healingOverview();
    return { open: overview.openIncidents, recent: overview.recentIncidents };
  },
});
