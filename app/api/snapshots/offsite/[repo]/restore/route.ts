import { canAdminister } from '@/lib/auth/roles';
import { offsiteRestoreRequestSchema } from '@/lib/recovery/offsite-api';
import { apiRoute } from '@/app/_lib/api-route';
import { actorOf } from '@/lib/auth/actor';

/** Restore from an off-site copy, or its dry run: admins only, like the golden restore it goes through. */
export const POST = apiRoute({
  authorize: canAdminister,
  body: offsiteRestoreRequestSchema,
  handler: ({ web, principal, body, params }) =>
    web.worker.offsite('offsiteRestore', { params: { repo: params.repo }, body: { ...body, actor: actorOf(principal) } }),
});
