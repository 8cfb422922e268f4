import type { ZodType } from 'zod';
import { isolateRequestSchema, listQuerySchema, restoreRequestSchema, streamQuerySchema } from '@/lib/defense/defense-api';
import { describeIssues, HttpError } from '@/lib/http-error';
import { IsolationError, type DefenseService } from '../../defense';
import { sendJson, type RequestContext, type Router } from '../router';
import { actorOf } from '@/lib/auth/actor';
import { sendStreamJson } from './bouncer-routes';

const ISOLATION_STATUS: Record<IsolationError['code'], number> = { invalid_source: 422, allowlisted: 409, protected_source: 422, admin_required: 403, not_isolated: 404 };

export function parseQuery<T>(ctx: RequestContext, schema: ZodType<T>): T {
  const parsed = schema.safeParse(Object.fromEntries(ctx.url.searchParams));
  if (!parsed.success) throw new HttpError(422, 'invalid_query', describeIssues(parsed.error.issues));
  return parsed.data;
}

/** Isolation failures that are the caller's to fix become their status; anything else is unexpected. */
export async function answerIsolation(ctx: RequestContext, status: number, work: () => Promise<unknown>): Promise<void> {
  try {
    sendJson(ctx.res, status, await work());
  } catch (error) {
    if (error instanceof IsolationError) throw new HttpError(ISOLATION_STATUS[error.code], error.code, error.message);
    throw error;
  }
}

/** Machine API of the guardian: threats, isolations and a CrowdSec-style decision stream. */
export function registerDefenseRoutes(router: Router, deps: { defense: DefenseService }): void {
  const { defense } = deps;

  router.add({ method: 'GET', path: '/api/v1/threats', auth: 'threats:read', handler: async (ctx) => {
    const { limit } = parseQuery(ctx, listQuerySchema);
    sendJson(ctx.res, 200, { mode: defense.mode, threats: defense.threats.recent(limit) });
  } });

  router.add({ method: 'GET', path: '/api/v1/isolations', auth: 'isolations:read', handler: async (ctx) => {
    const { limit } = parseQuery(ctx, listQuerySchema);
    const active = defense.blocklist.active();
    sendJson(ctx.res, 200, { total: active.length, isolations: active.slice(-limit).reverse() });
  } });

  router.add({ method: 'POST', path: '/api/v1/isolations', auth: 'isolations:write', handler: async (ctx) => {
    const { principal } = ctx;
    const body = await ctx.json(isolateRequestSchema);
    await answerIsolation(ctx, 201, () =>
      defense.isolations.isolate({ source: body.source, reason: body.reason, actor: actorOf(principal), authority: principal.role, origin: 'manual', durationMs: body.indefinite ? null : body.duration }),
    );
  } });

  router.add({ method: 'DELETE', path: '/api/v1/isolations/:source', auth: 'isolations:write', handler: async (ctx) => {
    const { principal } = ctx;
    // curl -X DELETE sends no body: the reason is optional here.
    const body = (await ctx.json(restoreRequestSchema.optional())) ?? restoreRequestSchema.parse({});
    await answerIsolation(ctx, 200, () => defense.isolations.restore({ source: ctx.params.source, actor: actorOf(principal), reason: body.reason }));
  } });

  // CrowdSec bouncers send their key as X-Api-Key, which the router's token check accepts.
  router.add({ method: 'GET', path: '/api/v1/decisions/stream', auth: 'isolations:read', standby: 'local', handler: async (ctx) => {
    const { principal } = ctx;
    const { startup } = parseQuery(ctx, streamQuerySchema);
    sendStreamJson(ctx.res, defense.stream.pollJson(principal.id, startup));
  } });
}

