import { z } from 'zod';
import { allowlistRequestSchema, canonicalSourceSchema, internalIsolateRequestSchema, liftRequestSchema, lockdownRequestSchema, relayedSignalSchema, withActor } from '@/lib/defense/defense-api';
import { HttpError } from '@/lib/http-error';
import { DefenseModeError, type DefenseService } from '../../defense';
import { sendJson, type RequestContext, type Router } from '../router';
import { answerIsolation } from './defense-routes';
import { operatorReasonSchema } from '@/lib/audit/audit-payload';

const restoreSchema = withActor(z.object({ source: canonicalSourceSchema, reason: operatorReasonSchema }));

async function answerMode(ctx: RequestContext, work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof DefenseModeError) throw new HttpError(error.code === 'not_locked_down' ? 409 : 422, error.code, error.message);
    throw error;
  }
}

/** Defense commands from the web app, which has already authenticated and authorised the operator. */
export function registerDefenseInternalRoutes(router: Router, deps: { defense: DefenseService }): void {
  const { defense } = deps;

  router.add({ method: 'GET', path: '/internal/v1/defense', auth: 'internal', handler: (ctx) => sendJson(ctx.res, 200, defense.overview()) });

  router.add({ method: 'POST', path: '/internal/v1/defense/isolate', auth: 'internal', handler: async (ctx) => {
    const body = await ctx.json(internalIsolateRequestSchema);
    await answerIsolation(ctx, 201, () => defense.isolations.isolate({ source: body.source, reason: body.reason, actor: body.actor, authority: body.role, origin: 'manual', durationMs: body.indefinite ? null : body.duration }));
  } });

  router.add({ method: 'POST', path: '/internal/v1/defense/restore', auth: 'internal', handler: async (ctx) => {
    const body = await ctx.json(restoreSchema);
    await answerIsolation(ctx, 200, () => defense.isolations.restore(body));
  } });

  router.add({ method: 'POST', path: '/internal/v1/defense/lockdown', auth: 'internal', handler: async (ctx) => {
    const body = await ctx.json(withActor(lockdownRequestSchema));
    await answerMode(ctx, () => defense.modes.lockdown({ actor: body.actor, reason: body.reason, expiresAt: body.expiresAt ? new Date(body.expiresAt) : null }));
    sendJson(ctx.res, 200, defense.overview());
  } });

  router.add({ method: 'POST', path: '/internal/v1/defense/lift', auth: 'internal', handler: async (ctx) => {
    const body = await ctx.json(withActor(liftRequestSchema));
    await answerMode(ctx, () => defense.modes.lift(body));
    sendJson(ctx.res, 200, defense.overview());
  } });

  router.add({ method: 'POST', path: '/internal/v1/defense/allowlist', auth: 'internal', handler: async (ctx) => {
    const body = await ctx.json(withActor(allowlistRequestSchema));
    await defense.allow(body);
    sendJson(ctx.res, 200, { allowlist: defense.allowlist.entries() });
  } });

  router.add({ method: 'POST', path: '/internal/v1/defense/allowlist/remove', auth: 'internal', handler: async (ctx) => {
    const body = await ctx.json(withActor(allowlistRequestSchema));
    if (!(await defense.disallow(body))) throw new HttpError(404, 'not_found', `${body.source} is not an operator allowlist entry (entries from the config file are edited there)`);
    sendJson(ctx.res, 200, { allowlist: defense.allowlist.entries() });
  } });

  // Vigil's own sign-in failures: the web app relays them here, best effort.
  router.add({ method: 'POST', path: '/internal/v1/defense/signals', auth: 'internal', handler: async (ctx) => {
    const body = await ctx.json(z.object({ signals: z.array(relayedSignalSchema).min(1).max(1000) }));
    for (const signal of body.signals) defense.signal({ ...signal, origin: 'vigil-login', at: Date.now() });
    sendJson(ctx.res, 202, { accepted: body.signals.length });
  } });
}
