import type { ClusterOverview } from '@/lib/ha/cluster-messages';
import type { ApiTokenAuthenticator } from '../../auth/api-tokens';
import type { Cluster } from '../../ha';
import { requireInternal, requireToken } from '../auth';
import { sendJson, type Router } from '../router';

/** Which replicas run and which one leads; any replica answers, from the database. */
export function registerClusterRoutes(router: Router, deps: { secret: string; tokens: ApiTokenAuthenticator; cluster: Cluster | null }): void {
  const overview = async (): Promise<ClusterOverview> => (deps.cluster ? { ha: true, self: deps.cluster.status(), members: await deps.cluster.members() } : { ha: false, self: null, members: [] });
  router.add('GET', '/internal/v1/cluster', async (ctx) => {
    requireInternal(ctx.req, deps.secret);
    sendJson(ctx.res, 200, await overview());
  });
  router.add('GET', '/api/v1/cluster', async (ctx) => {
    await requireToken(ctx.req, deps.tokens, 'health:read');
    sendJson(ctx.res, 200, await overview());
  });
}
