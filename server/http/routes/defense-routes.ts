import { restoreRequestSchema } from '@/lib/defense/defense-api';
import { actorOf } from '@/lib/auth/actor';
import { defenseContracts } from '../../contracts';
import type { DefenseService } from '../../defense';
import { SerializedJson, type Router } from '../router';

/** Machine API of the guardian: threats, isolations and a CrowdSec-style decision stream. */
export function registerDefenseRoutes(router: Router, deps: { defense: DefenseService }): void {
  const { defense } = deps;

  router.add({ ...defenseContracts.threats, handler: ({ query }) => ({ mode: defense.mode, threats: defense.threats.recent(query.limit) }) });

  router.add({
    ...defenseContracts.isolations,
    handler: ({ query }) => {
      const active = defense.blocklist.active();
      return { total: active.length, isolations: active.slice(-query.limit).reverse() };
    },
  });

  router.add({
    ...defenseContracts.isolate,
    handler: ({ principal, body }) =>
      defense.isolations.isolate({
        source: body.source,
        reason: body.reason,
        actor: actorOf(principal),
        authority: principal.role,
        origin: 'manual',
        durationMs: body.indefinite ? null : body.duration,
      }),
  });

  router.add({
    ...defenseContracts.release,
    handler: ({ principal, params, body = restoreRequestSchema.parse({}) }) =>
      defense.isolations.restore({ source: params.source, actor: actorOf(principal), reason: body.reason }),
  });

  // CrowdSec bouncers send their key as X-Api-Key, which the router's token check accepts.
  router.add({
    ...defenseContracts.decisionStream,
    handler: ({ principal, query }) => new SerializedJson(defense.stream.pollJson(principal.id, query.startup)),
  });
}
