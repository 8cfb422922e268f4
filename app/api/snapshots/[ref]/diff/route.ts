import { canView } from '@/lib/auth/roles';
import { diffQuerySchema } from '@/lib/recovery/recovery-api';
import { apiRoute } from '@/app/_lib/api-route';

/** What differs between the snapshot and the live files (or `?against=` another snapshot). */
export const GET = apiRoute({
  authorize: canView,
  query: diffQuerySchema,
  handler: ({ web, params, query }) => web.worker.diffSnapshot({ ref: params.ref, against: query.against }),
});
