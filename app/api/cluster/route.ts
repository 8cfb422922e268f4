import { canView } from '@/lib/auth/roles';
import { apiRoute } from '@/app/_lib/api-route';

export const GET = apiRoute({
  authorize: canView,
  handler: ({ web }) => web.worker.clusterOverview(),
});
