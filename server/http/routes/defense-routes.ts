import { restoreRequestSchema } from '@/lib/defense/defense-api';
import { actorOf } from '@/lib/auth/actor';
import { defenseContracts } from '../../contracts';
import type { DefenseService } from '../../defense';
import type { FleetConsole } from '../../fleet';
import { SerializedJson, type Router } from '../router';

/** Machine API of the guardian: threats, isolations and a CrowdSec-style decision stream. */
export function registerDefenseRoutes(router: Router, deps: { defense: DefenseService; fleet: FleetConsole }): void {
  const { defense, fleet } = deps;

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
    handler: async ({ principal, body }) => {
      const actor = actorOf(principal);
      const isolateHere = () =>
        defense.isolations.isolate({
          source: body.source,
          reason: body.reason,
          actor,
          authority: principal.role,
          origin: 'manual',
          durationMs: body.indefinite ? null : body.duration,
        });
      if (body.scope === 'host') return isolateHere();
      // This host's policy (loopback, allowlist, the caller's role) decides for the fleet too.
      const refusal = defense.isolations.refusal(body.source, principal.role);
      if (refusal) throw refusal;
      const fleetWide = (durationMs: number | null) => fleet.hub.isolateEverywhere({ source: body.source, reason: body.reason, actor, durationMs });
      // With a duration known up front, the agents need not wait for this host's own write; sent
      // first, because starting this host's write can load the database client synchronously.
      if (body.indefinite || body.duration !== undefined) {
        const [, decision] = await Promise.all([fleetWide(body.indefinite ? null : body.duration!), isolateHere()]);
        return decision;
      }
      const decision = await isolateHere();
      await fleetWide(decision.expiresAt === null ? null : Date.parse(decision.expiresAt) - Date.now());
      return decision;
    },
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
