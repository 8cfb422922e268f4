import { removeRuleRequestSchema } from '@/lib/alerts/alerts-api';
import { actorOf } from '@/lib/auth/actor';
import { canAdminister } from '@/lib/auth/roles';
import { alertsContracts } from '@/server/contracts';
import { apiRoute } from '@/app/_lib/api-route';

/** Removes the console's rule of that name; a shipped or configured rule of the same name applies again. */
export const POST = apiRoute({
  authorize: canAdminister,
  body: removeRuleRequestSchema,
  handler: ({ web, principal, body }) => web.worker.call(alertsContracts.removeRule, { body: { name: body.name, actor: actorOf(principal) } }),
});
