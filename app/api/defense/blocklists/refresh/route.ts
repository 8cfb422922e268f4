import { canOperate } from '@/lib/auth/roles';
import { blocklistRefreshRequestSchema } from '@/lib/defense/blocklist-api';
import { apiRoute } from '@/app/_lib/api-route';
import { actorOf } from '@/lib/auth/actor';

/** "Refresh now" on a list: operators, audited by the worker as a refresh or a refusal. */
export const POST = apiRoute({
  authorize: canOperate,
  body: blocklistRefreshRequestSchema,
  handler: ({ web, principal, body }) => web.worker.refreshBlocklist({ ...body, actor: actorOf(principal) }),
});
