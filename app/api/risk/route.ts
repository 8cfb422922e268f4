import { canView } from '@/lib/auth/roles';
import { apiRoute } from '@/app/_lib/api-route';

/** Risk per subsystem, its history for the heatmap, predictions and mitigation plans. */
export const GET = apiRoute({
  authorize: canView,
  handler: ({ web }) => web.worker.forecastOverview(),
});
