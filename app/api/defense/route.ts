import { canView } from '@/lib/auth/roles';
import { apiRoute } from '@/app/_lib/api-route';
import { rememberDefenseMode } from '@/app/_lib/lockdown-freeze';

/** Mode, lockdown, threats, isolations and allowlist: everything the defense panels show. */
export const GET = apiRoute({
  authorize: canView,
  handler: async ({ web }) => {
    const overview = await web.worker.defenseOverview();
    rememberDefenseMode(web.worker, overview.mode);
    return overview;
  },
});
