import { canView } from '@/lib/auth/roles';
import { apiRoute } from '@/app/_lib/api-route';

export const GET = apiRoute({
  authorize: canView,
  handler: async ({ web }) => {
    const overview = await web.worker.forecastOverview();
    return { at: overview.at, predictions: overview.predictions };
  },
});
