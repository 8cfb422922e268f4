import { canView } from '@/lib/auth/roles';
import { settingsContracts } from '@/server/contracts';
import { apiRoute } from '@/app/_lib/api-route';

/** Every editable config section, with its secrets masked: a viewer may see how Vigil is set up. */
export const GET = apiRoute({
  authorize: canView,
  handler: ({ web }) => web.worker.call(settingsContracts.list, {}),
});
