import type { AuditWriter } from '../audit';
import type { AuditIntegrity } from '../audit/audit-integrity';
import type { ConfigWatcher } from '../config/config-file';
import type { Database } from '../db/client';
import type { DefenseService } from '../defense';
import type { GuardSupervisor } from '../defense/guard-process/guard-supervisor';
import type { Cluster, LeaderHealth } from '../ha';
import type { HealingService } from '../healing';
import type { HealthMonitor } from '../health/health-monitor';
import type { WorkerMetrics } from '../metrics';
import type { RecoveryService } from '../recovery';
import type { Router } from './router';
import { registerAlertmanagerRoutes } from './routes/alertmanager-routes';
import { registerAuditRoutes } from './routes/audit-routes';
import { registerClusterRoutes } from './routes/cluster-routes';
import { registerHealthRoutes } from './routes/health-routes';
import { registerIngestRoutes } from './routes/ingest-routes';
import { registerInternalRoutes } from './routes/internal-routes';
import { registerMetricsRoutes } from './routes/metrics-routes';

export interface HttpDeps {
  router: Router;
  database: Database;
  config: ConfigWatcher;
  audit: AuditWriter;
  integrity: AuditIntegrity;
  monitor: HealthMonitor;
  defense: DefenseService;
  guard: GuardSupervisor | null;
  healing: HealingService;
  recovery: RecoveryService;
  cluster: Cluster | null;
  leaderHealth: LeaderHealth;
  metrics: WorkerMetrics;
}

/** The routes that read several capabilities at once (each capability's own routes come with its start), and the metrics' sources. */
export function startHttp({
  router,
  database,
  config,
  audit,
  integrity,
  monitor,
  defense,
  guard,
  healing,
  recovery,
  cluster,
  leaderHealth,
  metrics,
}: HttpDeps): void {
  // Read at scrape time; each getter is cheap.
  metrics.readFrom({
    healthScore: () => monitor.current()?.score ?? null,
    degradation: () => monitor.currentLevel(),
    modules: () => healing.engine.list(),
    probePacing: () => ({ startDelayP99Ms: healing.engine.pacer.startDelayP99(), inconclusive: healing.engine.pacer.episodes.total }),
    defenseMode: () => defense.mode,
    isolations: () => defense.blocklist.size,
    newestVerifiedGolden: async () => {
      const newest = (await recovery.overview()).golden.newest;
      return newest ? { name: newest.name, createdAt: new Date(newest.createdAt) } : null;
    },
    auditHeadSeq: () => audit.headSeq,
    clusterRole: () => cluster?.role ?? null,
  });
  registerClusterRoutes(router, { cluster });
  registerHealthRoutes(router, {
    monitor,
    audit,
    config: () => config.summary,
    defenseMode: () => defense.mode,
    cluster: () => cluster?.status() ?? null,
    leaderHealth: () => leaderHealth.current(),
    guard,
  });
  registerIngestRoutes(router, { audit, signals: defense.sink });
  registerMetricsRoutes(router, { metrics });
  registerAlertmanagerRoutes(router, { audit, healing, signals: defense.sink });
  registerAuditRoutes(router, { database });
  registerInternalRoutes(router, { monitor, integrity });
}
