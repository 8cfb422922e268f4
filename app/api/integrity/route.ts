import { canView } from '@/lib/auth/roles';
import { apiRoute } from '@/app/_lib/api-route';

/** Files watched, the last scan and recent findings with their before and after hashes. */
export const GET = apiRoute({
  authorize: canView,
  handler: ({ web }) => web.worker.integrityStatus(),
});
