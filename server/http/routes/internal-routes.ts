import { z } from 'zod';
import { degradationLevelSchema } from '@/lib/health/degradation';
import type { HealthMonitor } from '../../health/health-monitor';
import type { AuditIntegrity } from '../../audit/audit-integrity';
import { sendJson, type Router } from '../router';
import { operatorReasonSchema } from '@/lib/audit/audit-payload';

export const pinDegradationSchema = z.object({
  level: degradationLevelSchema.nullable(),
  actor: z.string().min(1).max(200),
  reason: operatorReasonSchema,
});

export const verifyAuditSchema = z.object({ mode: z.enum(['full', 'incremental']).default('incremental') }).default({ mode: 'incremental' });

/** Commands from the web app, which has already authenticated and authorised the operator. */
export function registerInternalRoutes(router: Router, deps: { monitor: HealthMonitor; integrity: AuditIntegrity }): void {
  router.add({ method: 'GET', path: '/internal/v1/health', auth: 'internal', handler: (ctx) => {
    sendJson(ctx.res, 200, deps.monitor.current());
  } });

  router.add({ method: 'POST', path: '/internal/v1/degradation/pin', auth: 'internal', handler: async (ctx) => {
    const body = await ctx.json(pinDegradationSchema);
    const snapshot = await deps.monitor.setPin(body.level, body.actor, body.reason);
    sendJson(ctx.res, 200, snapshot);
  } });

  router.add({ method: 'POST', path: '/internal/v1/audit/verify', auth: 'internal', handler: async (ctx) => {
    const body = await ctx.json(verifyAuditSchema);
    sendJson(ctx.res, 200, await deps.integrity.verify(body.mode));
  } });

  router.add({ method: 'GET', path: '/internal/v1/audit/public-key', auth: 'internal', handler: (ctx) => {
    sendJson(ctx.res, 200, { keyId: deps.integrity.key.keyId, publicKeyPem: deps.integrity.key.publicKeyPem });
  } });
}
