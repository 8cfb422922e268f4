import { canOperate } from '@/lib/auth/roles';
import { applyMitigationRequestSchema } from '@/lib/forecast/forecast-api';
import { apiRoute } from '@/app/_lib/api-route';
import { actorOf } from '@/lib/auth/actor';

/** One click from a mitigation plan; the worker audits it and the action it runs. */
export const POST = apiRoute({
  authorize: canOperate,
  body: applyMitigationRequestSchema,
  handler: ({ web, principal, body }) => web.worker.applyMitigation({ ...body, actor: actorOf(principal) }),
});
