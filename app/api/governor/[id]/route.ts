import { canOperate } from '@/lib/auth/roles';
import { decideSuggestionRequestSchema } from '@/lib/forecast/forecast-api';
import { apiRoute } from '@/app/_lib/api-route';
import { actorOf } from '@/lib/auth/actor';

/** Apply or dismiss a suggestion; only operators decide, and the worker audits it. */
export const POST = apiRoute({
  authorize: canOperate,
  body: decideSuggestionRequestSchema,
  handler: ({ web, principal, params, body }) => web.worker.decideSuggestion({ id: params.id, decision: body.decision, actor: actorOf(principal) }),
});
