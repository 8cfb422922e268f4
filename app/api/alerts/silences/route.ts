import { silenceInputSchema } from '@/lib/alerts/alert-rules';
import { actorOf } from '@/lib/auth/actor';
import { canOperate } from '@/lib/auth/roles';
import { alertsContracts } from '@/server/contracts';
import { apiRoute } from '@/app/_lib/api-route';

/** Silences alerts whose labels match until it expires; the operator is its author. */
export const POST = apiRoute({
  authorize: canOperate,
  body: silenceInputSchema,
  handler: ({ web, principal, body }) => web.worker.call(alertsContracts.createSilence, { body: { ...body, actor: actorOf(principal) } }),
});
