import { canView } from '@/lib/auth/roles';
import { fleetPageContracts } from '@/server/contracts';
import { apiRoute } from '@/app/_lib/api-route';

/** Every host of the fleet (this console is host 1) with its last heartbeat. */
export const GET = apiRoute({
  authorize: canView,
  handler: ({ web }) => web.worker.call(fleetPageContracts.hosts, {}),
});
