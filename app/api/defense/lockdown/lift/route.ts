import { canAdminister } from '@/lib/auth/roles';
import { liftRequestSchema } from '@/lib/defense/defense-api';
import { apiRoute } from '@/app/_lib/api-route';
import { actorOf } from '@/lib/auth/actor';
import { rememberDefenseMode } from '@/app/_lib/lockdown-freeze';

/** Ends a lockdown before its expiry; the reason goes into the audit trail. */
export const POST = apiRoute({
  authorize: canAdminister,
  body: liftRequestSchema,
  handler: async ({ web, principal, body }) => {
    const overview = await web.worker.liftLockdown({ ...body, actor: actorOf(principal) });
    rememberDefenseMode(web.worker, overview.mode);
    return overview;
  },
});
