import { canAdminister } from '@/lib/auth/roles';
import { settleRestoreRequestSchema } from '@/lib/recovery/recovery-api';
import { apiRoute } from '@/app/_lib/api-route';
import { actorOf } from '@/lib/auth/actor';

/** Finishes or undoes a restore that was interrupted half-way (its journal is still there). */
export const POST = apiRoute({
  authorize: canAdminister,
  body: settleRestoreRequestSchema,
  handler: ({ web, principal, body }) => web.worker.settleRestore({ ...body, actor: actorOf(principal) }),
});
