import { z } from 'zod';
import { roleSchema } from '@/lib/auth/roles';
import { moduleNameSchema } from '@/lib/healing/module-schema';
import { HealingError, type HealingService } from '../../healing';
import { HttpError, sendJson, type RequestContext, type RoutedContext, type Router } from '../router';
import { operatorReasonSchema } from '@/lib/audit/audit-payload';

const STATUS: Record<HealingError['code'], number> = { 'not-found': 404, conflict: 409, forbidden: 403, 'bad-input': 422 };

async function answer(ctx: RequestContext, work: () => Promise<unknown> | unknown, status = 200): Promise<void> {
  try {
    sendJson(ctx.res, status, await work());
  } catch (error) {
    if (error instanceof HealingError) throw new HttpError(STATUS[error.code], error.code.replace('-', '_'), error.message);
    throw error;
  }
}

function moduleName(ctx: RequestContext): string {
  const parsed = moduleNameSchema.safeParse(ctx.params.name);
  if (!parsed.success) throw new HttpError(422, 'invalid_request', `module: ${parsed.error.issues[0].message}`);
  return parsed.data;
}

const actorSchema = z.object({ name: z.string().min(1).max(200), role: roleSchema });
const operatorActionSchema = z.object({ actor: actorSchema, reason: operatorReasonSchema });

/** The modules part of the machine API, heartbeat push, and the web app's commands. */
export function registerHealingRoutes(router: Router, deps: { healing: HealingService }): void {
  const { healing } = deps;

  router.add({ method: 'GET', path: '/api/v1/modules', auth: 'modules:read', handler: async (ctx) => {
    sendJson(ctx.res, 200, healing.engine.list());
  } });
  router.add({ method: 'GET', path: '/api/v1/modules/:name', auth: 'modules:read', handler: async (ctx) => {
    const name = moduleName(ctx);
    await answer(ctx, () => {
      const found = healing.engine.list().find((m) => m.name === name);
      if (!found) throw new HealingError('not-found', `no module named ${JSON.stringify(name)}`);
      return found;
    });
  } });
  router.add({ method: 'POST', path: '/api/v1/modules', auth: 'modules:write', handler: async (ctx) => {
    const { principal } = ctx;
    const body = await ctx.json(z.unknown());
    await answer(ctx, () => healing.defineModule(body, principal), 201);
  } });
  router.add({ method: 'DELETE', path: '/api/v1/modules/:name', auth: 'modules:write', handler: async (ctx) => {
    const { principal } = ctx;
    const name = moduleName(ctx);
    await answer(ctx, async () => {
      await healing.removeModule(name, principal);
      return { removed: name };
    });
  } });
  router.add({ method: 'GET', path: '/api/v1/incidents', auth: 'modules:read', handler: async (ctx) => {
    await answer(ctx, async () => (await healing.overview()).recentIncidents);
  } });

  // Heartbeat push: the token in the path is the credential (Uptime Kuma's push monitors work the same way).
  const push = async (ctx: RoutedContext<'push-token', undefined, undefined>) => {
    const view = healing.engine.heartbeat(ctx.principal.token);
    if (!view) throw new HttpError(404, 'not_found', 'no push module has this token');
    sendJson(ctx.res, 200, { ok: true, module: view.name });
  };
  router.add({ method: 'POST', path: '/api/v1/push/:token', auth: 'push-token', handler: push });
  router.add({ method: 'GET', path: '/api/v1/push/:token', auth: 'push-token', handler: push });

  router.add({ method: 'GET', path: '/internal/v1/healing', auth: 'internal', handler: (ctx) => answer(ctx, () => healing.overview()) });
  router.add({ method: 'GET', path: '/internal/v1/healing/incidents/:id', auth: 'internal', handler: (ctx) => answer(ctx, () => healing.incident(ctx.params.id)) });
  router.add({ method: 'GET', path: '/internal/v1/healing/modules/:name/logs', auth: 'internal', handler: async (ctx) => {
    const name = moduleName(ctx);
    await answer(ctx, () => {
      const runtime = healing.engine.runtime(name);
      if (!runtime) throw new HealingError('not-found', `no module named ${JSON.stringify(name)}`);
      return { module: name, lines: runtime.supervisor?.logs.tail() ?? [] };
    });
  } });
  router.add({ method: 'POST', path: '/internal/v1/healing/modules', auth: 'internal', handler: async (ctx) => {
    const body = await ctx.json(z.object({ actor: actorSchema, definition: z.unknown() }));
    await answer(ctx, () => healing.defineModule(body.definition, { id: body.actor.name, kind: 'user', ...body.actor }), 201);
  } });
  router.add({ method: 'POST', path: '/internal/v1/healing/modules/:name/remove', auth: 'internal', handler: async (ctx) => {
    const name = moduleName(ctx);
    const body = await ctx.json(z.object({ actor: actorSchema }));
    await answer(ctx, async () => {
      await healing.removeModule(name, { id: body.actor.name, kind: 'user', ...body.actor });
      return { removed: name };
    });
  } });
  for (const action of ['pause', 'resume', 'restart'] as const) {
    router.add({ method: 'POST', path: `/internal/v1/healing/modules/:name/${action}`, auth: 'internal', handler: async (ctx) => {
      const name = moduleName(ctx);
      const body = await ctx.json(operatorActionSchema);
      const run = { pause: () => healing.engine.pause(name, body.actor.name, body.reason), resume: () => healing.engine.resume(name, body.actor.name, body.reason), restart: () => healing.engine.restartNow(name, body.actor.name, body.reason) }[action];
      await answer(ctx, run);
    } });
  }
  router.add({ method: 'POST', path: '/internal/v1/healing/modules/:name/approval', auth: 'internal', handler: async (ctx) => {
    const name = moduleName(ctx);
    const body = await ctx.json(z.object({ actor: actorSchema, approve: z.boolean() }));
    await answer(ctx, () => healing.engine.decideApproval(name, body.approve, body.actor.name));
  } });
}
