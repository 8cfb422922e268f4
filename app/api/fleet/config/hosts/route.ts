import { canView } from '@/lib/auth/roles';
import { fleetConfigContracts } from '@/server/contracts';
import { apiRoute } from '@/app/_lib/api-route';

/** Per host: the assigned revision, the applied one, and pending or rejected with the reason. */
export const GET = apiRoute({
  authorize: canView,
  handler: ({ web }) => web.worker.call(fleetConfigContracts.internalHosts, {}),
});
