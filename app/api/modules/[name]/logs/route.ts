import { canView } from '@/lib/auth/roles';
import { apiRoute } from '@/app/_lib/api-route';

/** The supervised process's latest output lines (empty for modules Vigil does not run). */
export const GET = apiRoute({
  authorize: canView,
  handler: ({ web, params }) => web.worker.moduleLogs(params.name),
});
