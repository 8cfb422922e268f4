import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FleetHeartbeat } from '@/lib/fleet/fleet-api';
import { HEARTBEAT_MODULES, riskByKind } from '@/lib/fleet/host-status';
import type { DefenseService } from '../defense';
import type { Forecaster } from '../forecast';
import type { HealingService } from '../healing';
import type { HealthMonitor } from '../health/health-monitor';
import { vigilRepoRoot } from '../integrity';
import type { RecoveryService } from '../recovery';
import { goldenSnapshotNames } from './golden-snapshot-names';

/** The version this worker runs, from the package it was installed from; read once, at start. */
function installedVersion(): string {
  try {
    const { version } = JSON.parse(readFileSync(path.join(vigilRepoRoot(), 'package.json'), 'utf8')) as { version?: unknown };
    return typeof version === 'string' && /^[A-Za-z0-9_.+-]{1,40}$/.test(version) ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * What this host says about itself to the fleet: an agent's heartbeat, and host 1's row on the
 * console (the same reading, so the console and its agents are compared on equal terms).
 */
export function localHeartbeat({
  monitor,
  defense,
  healing,
  forecaster,
  recovery,
}: {
  monitor: HealthMonitor;
  defense: DefenseService;
  healing: HealingService;
  forecaster: Forecaster;
  recovery: Pick<RecoveryService, 'store'>;
}): () => FleetHeartbeat {
  const version = installedVersion();
  const goldenSnapshots = goldenSnapshotNames(recovery);
  return () => {
    const health = monitor.current();
    const { incidents } = healing.engine;
    return {
      healthScore: health ? Math.round(health.score) : null,
      degradation: health?.degradation ?? null,
      defenseMode: defense.mode,
      risk: riskByKind(forecaster.risk().subsystems),
      openIncidents: incidents.openIncidents().length + incidents.externalIncidents().length,
      version,
      modules: healing.moduleNames().slice(0, HEARTBEAT_MODULES),
      goldenSnapshots: goldenSnapshots(),
    };
  };
}
