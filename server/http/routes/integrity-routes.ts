import { rebaselineRequestSchema } from '@/lib/integrity/integrity-status';
import type { FileIntegrity } from '../../integrity';
import { sendJson, type Router } from '../router';

/** File-integrity status for the dashboard and the administrator's re-baseline, relayed by the web app. */
export function registerIntegrityRoutes(router: Router, deps: { integrity: FileIntegrity }): void {
  router.add({ method: 'GET', path: '/internal/v1/integrity', auth: 'internal', handler: (ctx) => {
    sendJson(ctx.res, 200, deps.integrity.status());
  } });

  router.add({ method: 'POST', path: '/internal/v1/integrity/rebaseline', auth: 'internal', handler: async (ctx) => {
    const body = await ctx.json(rebaselineRequestSchema);
    sendJson(ctx.res, 200, await deps.integrity.rebaseline(body));
  } });
}
