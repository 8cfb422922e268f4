import { rebaselineRequestSchema } from '@/lib/integrity/integrity-status';
import type { FileIntegrity } from '../../integrity';
import { requireInternal } from '../auth';
import { sendJson, type Router } from '../router';

/** File-integrity status for the dashboard and the administrator's re-baseline, relayed by the web app. */
export function registerIntegrityRoutes(router: Router, deps: { secret: string; integrity: FileIntegrity }): void {
  router.add('GET', '/internal/v1/integrity', (ctx) => {
    requireInternal(ctx.req, deps.secret);
    sendJson(ctx.res, 200, deps.integrity.status());
  });

  router.add('POST', '/internal/v1/integrity/rebaseline', async (ctx) => {
    requireInternal(ctx.req, deps.secret);
    const body = await ctx.json(rebaselineRequestSchema);
    sendJson(ctx.res, 200, await deps.integrity.rebaseline(body));
  });
}
