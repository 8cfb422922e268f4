import { z } from 'zod';
import { degradationLevelSchema } from '@/lib/health/degradation';
import type { HealthMonitor } from '../../health/health-monitor';
import type { AuditIntegrity } from '../../audit/audit-integrity';
import { requireInternal } from '../auth';
import { sendJson, type Router } from '../router';
import { operatorReasonSchema } from '@/lib/audit/audit-payload';

export const pinDegradationSchema = z.object({
  level: degradationLevelSchema.nullable(),
  actor: z.string().min(1).max(200),
  reason: operatorReasonSchema,
});

export const verifyAuditSchema = z.object({ mode: z.enum(['full', 'incremental']).default('incremental') }).default({ mode: 'incremental' });

/** Commands from the web app, which has already authenticated and authorised the operator. */
export function registerInternalRoutes(router: Router, deps: { secret: string; monitor: HealthMonitor; integrity: AuditIntegrity }): void {
  router.add('GET', '/internal/v1/health', (ctx) => {
    requireInternal(ctx.req, deps.secret);
    sendJson(ctx.res, 200, deps.monitor.current());
  });

  router.add('POST', '/internal/v1/degradation/pin', async (ctx) => {
    requireInternal(ctx.req, deps.secret);
    const body = await ctx.json(pinDegradationSchema);
    const snapshot = await deps.monitor.setPin(body.level, body.actor, body.reason);
    sendJson(ctx.res, 200, snapshot);
  });

  router.add('POST', '/internal/v1/audit/verify', async (ctx) => {
    requireInternal(ctx.req, deps.secret);
    const body = await ctx.json(verifyAuditSchema);
    sendJson(ctx.res, 200, await deps.integrity.verify(body.mode));
  });

  router.add('GET', '/internal/v1/audit/public-key', (ctx) => {
    requireInternal(ctx.req, deps.secret);
    sendJson(ctx.res, 200, { keyId: deps.integrity.key.keyId, publicKeyPem: deps.integrity.key.publicKeyPem });
  });
}
