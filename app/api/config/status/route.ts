import { canView } from '@/lib/auth/roles';
import type { ConfigStatus } from '@/lib/config/config-status';
import { apiRoute } from '@/app/_lib/api-route';

/** Whether vigil.config.yaml is the configuration in force, and why not; null where no file is watched. */
export const GET = apiRoute({
  authorize: canView,
  handler: async ({ web }): Promise<ConfigStatus | null> => (await web.worker.healingOverview()).configStatus,
});
