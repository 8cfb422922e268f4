import { canView } from '@/lib/auth/roles';
import { alertsContracts } from '@/server/contracts';
import { apiRoute } from '@/app/_lib/api-route';

/** Open and recent alerts, silences, the rules in force and the channels they may route to. */
export const GET = apiRoute({
  authorize: canView,
  handler: ({ web }) => web.worker.call(alertsContracts.overview, {}),
});
