import { HttpError } from '@/lib/http-error';
import { canAdminister, canOperate } from '@/lib/auth/roles';
import { offsiteForgetRequestSchema } from '@/lib/recovery/offsite-api';
import { apiRoute } from '@/app/_lib/api-route';
import { actorOf } from '@/lib/auth/actor';

/** Operators may see what the retention would remove; only admins remove copies. */
export const POST = apiRoute({
  authorize: canOperate,
  body: offsiteForgetRequestSchema,
  handler: ({ web, principal, body, params }) => {
    if (!body.dryRun && !canAdminister(principal)) throw new HttpError(403, 'forbidden', `your role (${principal.role}) may only preview the retention`);
    return web.worker.offsite('offsiteForget', { params: { repo: params.repo }, body: { ...body, actor: actorOf(principal) } });
  },
});
