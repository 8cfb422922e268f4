import { HttpError } from '@/lib/http-error';
import { defenseContracts } from '../../contracts';
import type { DefenseService } from '../../defense';
import type { Router } from '../router';

/** Defense commands from the web app, which has already authenticated and authorised the operator. */
export function registerDefenseInternalRoutes(router: Router, deps: { defense: DefenseService }): void {
  const { defense } = deps;

  router.add({ ...defenseContracts.overview, handler: () => defense.overview() });

  router.add({
    ...defenseContracts.isolateSource,
    handler: ({ body }) =>
      defense.isolations.isolate({
        source: body.source,
        reason: body.reason,
        actor: body.actor,
        authority: body.role,
        origin: 'manual',
        durationMs: body.indefinite ? null : body.duration,
      }),
  });

  router.add({ ...defenseContracts.restoreSource, handler: ({ body }) => defense.isolations.restore(body) });

  router.add({
    ...defenseContracts.lockdown,
    handler: async ({ body }) => {
      await defense.modes.lockdown({ actor: body.actor, reason: body.reason, expiresAt: body.expiresAt ? new Date(body.expiresAt) : null });
      return defense.overview();
    },
  });

  router.add({
    ...defenseContracts.liftLockdown,
    handler: async ({ body }) => {
      await defense.modes.lift(body);
      return defense.overview();
    },
  });

  router.add({
    ...defenseContracts.allowSource,
    handler: async ({ body }) => {
      await defense.allow(body);
      return { allowlist: defense.allowlist.entries() };
    },
  });

  router.add({
    ...defenseContracts.disallowSource,
    handler: async ({ body }) => {
      if (!(await defense.disallow(body)))
        throw new HttpError(404, 'not_found', `${body.source} is not an operator allowlist entry (entries from the config file are edited there)`);
      return { allowlist: defense.allowlist.entries() };
    },
  });

  router.add({
    ...defenseContracts.reportSignals,
    handler: ({ body }) => {
      for (const signal of body.signals) defense.signal({ ...signal, origin: 'vigil-login', at: Date.now() });
      return { accepted: body.signals.length };
    },
  });
}
