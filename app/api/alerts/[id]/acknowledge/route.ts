import { acknowledgeInputSchema } from '@/lib/alerts/alert-rules';
import { actorOf } from '@/lib/auth/actor';
import { canOperate } from '@/lib/auth/roles';
import { alertsContracts } from '@/server/contracts';
import { apiRoute } from '@/app/_lib/api-route';

/** Acknowledges an alert in the operator's name: reminders stop, paging services are told. */
export const POST = apiRoute({
  authorize: canOperate,
  body: acknowledgeInputSchema,
  handler: ({ web, principal, params, body }) =>
    web.worker.call(alertsContracts.acknowledge, { params: { id: params.id }, body: { comment: body.comment, actor: actorOf(principal) } }),
});
