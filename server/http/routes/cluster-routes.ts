import type { ClusterOverview } from '@/lib/ha/cluster-messages';
import type { Cluster } from '../../ha';
import { sendJson, type Router } from '../router';

/** Which replicas run and which one leads; any replica answers, from the database. */
export function registerClusterRoutes(router: Router, deps: { cluster: Cluster | null }): void {
  const overview = async (): Promise<ClusterOverview> => (deps.cluster ? { ha: true, self: deps.cluster.status(), members: await deps.cluster.members() } : { ha: false, self: null, members: [] });
  router.add({ method: 'GET', path: '/internal/v1/cluster', auth: 'internal', standby: 'local', handler: async (ctx) => {
    sendJson(ctx.res, 200, await overview());
  } });
  router.add({ method: 'GET', path: '/api/v1/cluster', auth: 'health:read', standby: 'local', handler: async (ctx) => {
    sendJson(ctx.res, 200, await overview());
  } });
}
