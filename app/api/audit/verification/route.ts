import { canView } from '@/lib/auth/roles';
import { readVerification } from '@/server/audit/verification-state';
import { apiRoute } from '@/app/_lib/api-route';

/** The latest verification result: "chain verified up to #seq at time", or the first broken event. */
export const GET = apiRoute({
  authorize: canView,
  handler: ({ web }) => readVerification(web.database),
});
