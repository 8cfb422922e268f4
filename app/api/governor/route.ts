import { canView } from '@/lib/auth/roles';
import { apiRoute } from '@/app/_lib/api-route';

/** The hardening governor's suggestions with their evidence and effectiveness. */
export const GET = apiRoute({
  authorize: canView,
  handler: ({ web }) => web.worker.governor(),
});
