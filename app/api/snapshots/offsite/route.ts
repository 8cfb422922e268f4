import { canOperate, canView } from '@/lib/auth/roles';
import { offsiteCopyRequestSchema } from '@/lib/recovery/offsite-api';
import { apiRoute } from '@/app/_lib/api-route';
import { actorOf } from '@/lib/auth/actor';

/** Off-site repositories, where each snapshot has copies and when each was last verified. */
export const GET = apiRoute({
  authorize: canView,
  handler: ({ web }) => web.worker.offsiteOverview(),
});

/** Copies a snapshot into a repository: operators, like taking a snapshot. */
export const POST = apiRoute({
  authorize: canOperate,
  body: offsiteCopyRequestSchema,
  handler: ({ web, principal, body }) => web.worker.offsite('offsiteCopy', { body: { ...body, actor: actorOf(principal) } }),
});
