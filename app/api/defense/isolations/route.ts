import { canOperate } from '@/lib/auth/roles';
import { isolateRequestSchema } from '@/lib/defense/defense-api';
import { apiRoute } from '@/app/_lib/api-route';
import { actorOf } from '@/lib/auth/actor';

/** Isolates an address or range for a time (or until restored); the allowlist always wins. */
export const POST = apiRoute({
  authorize: canOperate,
  body: isolateRequestSchema,
  // The schema turned the duration into milliseconds; the worker reads a number as seconds.
  handler: ({ web, principal, body }) =>
    web.worker.isolateSource({
      source: body.source,
      reason: body.reason,
      indefinite: body.indefinite,
      duration: body.duration === undefined ? undefined : body.duration / 1000,
      actor: actorOf(principal),
      role: principal.role,
    }),
});
