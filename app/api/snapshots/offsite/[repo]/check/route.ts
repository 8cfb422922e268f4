import { canOperate } from '@/lib/auth/roles';
import { offsiteCheckRequestSchema } from '@/lib/recovery/offsite-api';
import { apiRoute } from '@/app/_lib/api-route';
import { actorOf } from '@/lib/auth/actor';

/** restic check and a restore test now, rather than at the next scheduled one. */
export const POST = apiRoute({
  authorize: canOperate,
  body: offsiteCheckRequestSchema,
  handler: ({ web, principal, body, params }) =>
    web.worker.offsite('offsiteCheck', { params: { repo: params.repo }, body: { ...body, actor: actorOf(principal) } }),
});
