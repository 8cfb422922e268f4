import type { ClusterOverview } from '@/lib/ha/cluster-messages';
import { healthContracts } from '../../contracts';
import type { Cluster } from '../../ha';
import type { Router } from '../router';

/** Which replicas run and which one leads; any replica answers, from the database. */
export function registerClusterRoutes(router: Router, deps: { cluster: Cluster | null }): void {
  const overview = async (): Promise<ClusterOverview> =>
    deps.cluster ? { ha: true, self: deps.cluster.status(), members: await deps.cluster.members() } : { ha: false, self: null, members: [] };
  router.add({ ...healthContracts.cluster, handler: overview });
  router.add({ ...healthContracts.clusterForMachines, handler: overview });
}
