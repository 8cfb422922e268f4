import { canAdminister } from '@/lib/auth/roles';
import { lockdownRequestSchema } from '@/lib/defense/defense-api';
import { apiRoute } from '@/app/_lib/api-route';
import { actorOf } from '@/lib/auth/actor';
import { rememberDefenseMode } from '@/app/_lib/lockdown-freeze';

/** LOCKDOWN: only allowlisted sources pass the guard and non-admins become read-only. */
export const POST = apiRoute({
  authorize: canAdminister,
  body: lockdownRequestSchema,
  handler: async ({ web, principal, body }) => {
    const overview = await web.worker.lockdown({ ...body, actor: actorOf(principal) });
    rememberDefenseMode(web.worker, overview.mode);
    return overview;
  },
});
