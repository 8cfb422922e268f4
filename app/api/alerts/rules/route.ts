import { saveRuleRequestSchema } from '@/lib/alerts/alerts-api';
import { actorOf } from '@/lib/auth/actor';
import { canAdminister } from '@/lib/auth/roles';
import { alertsContracts } from '@/server/contracts';
import { apiRoute } from '@/app/_lib/api-route';

/** Creates or replaces a rule: admins only, since a rule decides who gets paged (and can mute a shipped one). */
export const PUT = apiRoute({
  authorize: canAdminister,
  body: saveRuleRequestSchema,
  handler: ({ web, principal, body }) => web.worker.call(alertsContracts.saveRule, { body: { rule: body, actor: actorOf(principal) } }),
});
