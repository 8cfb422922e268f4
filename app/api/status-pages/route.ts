import { canAdminister, canOperate } from '@/lib/auth/roles';
import { actorOf } from '@/lib/auth/actor';
import { statusPageSchema } from '@/lib/status-pages/status-page-schema';
import { statusPageContracts } from '@/server/contracts';
import { apiRoute } from '@/app/_lib/api-route';

/** Every status page, the config file's and the console's. */
export const GET = apiRoute({
  authorize: canOperate,
  handler: ({ web }) => web.worker.call(statusPageContracts.list, {}),
});

/** Creates or replaces a console status page: what it publishes is an admin's choice. */
export const POST = apiRoute({
  authorize: canAdminister,
  body: statusPageSchema,
  handler: ({ web, principal, body }) => web.worker.call(statusPageContracts.save, { body: { actor: actorOf(principal), page: body } }),
});
