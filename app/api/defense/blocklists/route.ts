import { canView } from '@/lib/auth/roles';
import { apiRoute } from '@/app/_lib/api-route';

/** Imported IP lists: source, counts, last and next refresh, last error. */
export const GET = apiRoute({
  authorize: canView,
  handler: ({ web }) => web.worker.blocklists(),
});
