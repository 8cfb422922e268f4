import { featureMap, type DegradationLevel } from '@/lib/health/degradation';
import type { ClusterStatus } from '@/lib/ha/cluster-messages';
import type { DefenseMode } from '@/lib/defense/defense-types';
import { healthContracts } from '../../contracts';
import type { HealthMonitor } from '../../health/health-monitor';
import type { AuditWriter } from '../../audit';
import type { ConfigSummary } from '../../config/config-file';
import type { GuardSupervisor } from '../../defense/guard-process/guard-supervisor';
import type { Router } from '../router';

interface HealthRouteDeps {
  monitor: HealthMonitor;
  audit: AuditWriter;
  defenseMode: () => DefenseMode;
  config: () => ConfigSummary;
  /** Null on SQLite, where the one worker is all there is. */
  cluster?: () => ClusterStatus | null;
  /** A standby samples nothing: it reports the leader's last stored verdict. */
  leaderHealth?: () => Promise<{ score: number; degradation: DegradationLevel } | null>;
  /** Null without VIGIL_GUARD_PORT. */
  guard?: GuardSupervisor | null;
}

const NO_CHANNEL = { unwrittenMessages: 0, behindSince: null, withheldMessages: 0, resyncs: 0 };

export function registerHealthRoutes(router: Router, deps: HealthRouteDeps): void {
  // Public by contract: load balancers and scripts poll it without credentials.
  router.add({
    ...healthContracts.healthz,
    handler: async () => {
      const cluster = deps.cluster?.() ?? null;
      const snapshot = deps.monitor.current();
      const verdict = snapshot
        ? { score: snapshot.score, degradation: deps.monitor.currentLevel() }
        : cluster?.role === 'standby'
          ? await deps.leaderHealth?.()
          : null;
      const database = deps.audit.status();
      return {
        status: database.ok ? ('ok' as const) : ('degraded' as const),
        healthScore: verdict?.score ?? null,
        degradation: verdict?.degradation ?? deps.monitor.currentLevel(),
        defenseMode: deps.defenseMode(),
        database: { ok: database.ok, pendingEvents: database.pendingEvents },
        config: deps.config(),
        ...(cluster && { cluster: { node: cluster.nodeId, role: cluster.role, since: cluster.since, leader: cluster.leader?.nodeId ?? null } }),
        ...(deps.guard && { guardProcess: deps.guard.channelStatus ?? NO_CHANNEL }),
      };
    },
  });

  router.add({
    ...healthContracts.features,
    handler: () => {
      const level = deps.monitor.currentLevel();
      const features = featureMap(level);
      return {
        degradation: level,
        features: Object.fromEntries(features.map((f) => [f.feature, f.enabled])),
        disabled: features.filter((f) => !f.enabled).map((f) => f.feature),
      };
    },
  });

  router.add({ ...healthContracts.health, handler: () => deps.monitor.current() });
}
