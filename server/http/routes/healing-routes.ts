import { moduleNameSchema } from '@/lib/healing/module-schema';
import { HttpError } from '@/lib/http-error';
import { healingContracts } from '../../contracts';
import type { HealingService } from '../../healing';
import type { RoutedContext, Router } from '../router';

function moduleName(params: Record<string, string>): string {
  const parsed = moduleNameSchema.safeParse(params.name);
  if (!parsed.success) throw new HttpError(422, 'invalid_request', `module: ${parsed.error.issues[0].message}`);
  return parsed.data;
}

/** The modules part of the machine API, heartbeat push, and the web app's commands. */
export function registerHealingRoutes(router: Router, deps: { healing: HealingService }): void {
  const { healing } = deps;
  const userActor = (actor: { name: string; role: 'viewer' | 'operator' | 'admin' }) => ({ id: actor.name, kind: 'user' as const, ...actor });

  router.add({ ...healingContracts.modules, handler: () => healing.engine.list() });
  router.add({
    ...healingContracts.module,
    handler: ({ params }) => {
      const name = moduleName(params);
      const found = healing.engine.list().find((m) => m.name === name);
      if (!found) throw new HttpError(404, 'not_found', `no module named ${JSON.stringify(name)}`);
      return found;
    },
  });
  router.add({ ...healingContracts.registerModule, handler: ({ principal, body }) => healing.defineModule(body, principal) });
  router.add({
    ...healingContracts.removeModuleForMachines,
    handler: async ({ principal, params }) => {
      const name = moduleName(params);
      await healing.removeModule(name, principal);
      return { removed: name };
    },
  });
  router.add({ ...healingContracts.incidents, handler: async () => (await healing.overview()).recentIncidents });

  // Heartbeat push: the token in the path is the credential (Uptime Kuma's push monitors work the same way).
  const push = ({ principal }: RoutedContext<'push-token', undefined, undefined>) => {
    const view = healing.engine.heartbeat(principal.token);
    if (!view) throw new HttpError(404, 'not_found', 'no push module has this token');
    return { ok: true as const, module: view.name };
  };
  router.add({ ...healingContracts.pushPost, handler: push });
  router.add({ ...healingContracts.pushGet, handler: push });

  router.add({ ...healingContracts.overview, handler: () => healing.overview() });
  router.add({ ...healingContracts.incident, handler: ({ params }) => healing.incident(params.id) });
  router.add({
    ...healingContracts.moduleLogs,
    handler: ({ params }) => {
      const name = moduleName(params);
      const runtime = healing.engine.runtime(name);
      if (!runtime) throw new HttpError(404, 'not_found', `no module named ${JSON.stringify(name)}`);
      return { module: name, lines: runtime.supervisor?.logs.tail() ?? [] };
    },
  });
  router.add({ ...healingContracts.defineModule, handler: ({ body }) => healing.defineModule(body.definition, userActor(body.actor)) });
  router.add({
    ...healingContracts.removeModule,
    handler: async ({ params, body }) => {
      const name = moduleName(params);
      await healing.removeModule(name, userActor(body.actor));
      return { removed: name };
    },
  });
  router.add({ ...healingContracts.pause, handler: ({ params, body }) => healing.engine.pause(moduleName(params), body.actor.name, body.reason) });
  router.add({ ...healingContracts.resume, handler: ({ params, body }) => healing.engine.resume(moduleName(params), body.actor.name, body.reason) });
  router.add({ ...healingContracts.restart, handler: ({ params, body }) => healing.engine.restartNow(moduleName(params), body.actor.name, body.reason) });
  router.add({
    ...healingContracts.decideApproval,
    handler: ({ params, body }) => healing.engine.decideApproval(moduleName(params), body.approve, body.actor.name),
  });
}
