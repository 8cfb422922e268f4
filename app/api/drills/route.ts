import { canAdminister, canView } from '@/lib/auth/roles';
import { startDrillSchema } from '@/lib/drills/drill-schema';
import { apiRoute } from '@/app/_lib/api-route';
import { healingActorOf } from '@/app/_lib/actor';

const bodySchema = startDrillSchema.omit({ actor: true }).strict();

/** Past drill runs, newest first, and whether one is running now. */
export const GET = apiRoute({
  authorize: canView,
  handler: ({ web }) => web.worker.drills(),
});

/** Starts a drill in the background: admins only, since it spawns programs and mounts a disk. */
export const POST = apiRoute({
  authorize: canAdminister,
  body: bodySchema,
  // The worker re-checks the role, so the actor carries it as well as the name.
  handler: ({ web, principal, body }) => web.worker.startDrill({ ...body, actor: healingActorOf(principal) }),
});
