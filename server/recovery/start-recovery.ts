import type { RecoveryProgress } from '@/lib/recovery/snapshot-schema';
import type { AuditWriter } from '../audit';
import type { ConfigWatcher } from '../config/config-file';
import type { Database } from '../db/client';
import type { DefenseService } from '../defense';
import type { WorkerEnv } from '../env/worker-env';
import type { LeaderDuties } from '../ha/leader-duties';
import type { HealingService } from '../healing';
import type { HealthMonitor } from '../health/health-monitor';
import { registerOffsiteRoutes } from '../http/routes/offsite-routes';
import { registerRecoveryRoutes } from '../http/routes/recovery-routes';
import type { Router } from '../http/router';
import type { LiveEmitter } from '../live/live-outlet';
import type { Logger } from '../log';
import { OffsiteScheduler } from './offsite';
import { RecoveryScheduler } from './recovery-scheduler';
import { RecoveryService } from './recovery-service';
import { vigilStateAccess } from './vigil-state';

export interface RecoveryDeps {
  env: WorkerEnv;
  database: Database;
  config: ConfigWatcher;
  audit: AuditWriter;
  log: Logger;
  live: Pick<LiveEmitter, 'emitRecoveryProgress'>;
  /** What a restore of Vigil's own state may have changed under them. */
  reloadAfterRestore: { monitor: HealthMonitor; healing: HealingService; defense: DefenseService };
  duties: LeaderDuties;
  router: Router;
}

/** Snapshots and restores; the leader runs the schedule. */
export function startRecovery({ env, database, config, audit, log, live, reloadAfterRestore: { monitor, healing, defense }, duties, router }: RecoveryDeps) {
  // Whoever else follows an operation as it runs (a fleet command reporting to its console).
  const progressWatchers = new Set<(progress: RecoveryProgress) => void>();
  const relayProgress = (progress: RecoveryProgress) => {
    live.emitRecoveryProgress(progress);
    for (const watcher of progressWatchers) watcher(progress);
    // A finished restore may have brought back older settings.
    if (progress.finished && progress.operation === 'restore') {
      void monitor.reloadPin().catch(() => undefined);
      void healing.reloadConsoleModules().catch(() => undefined);
      void defense.reloadAllowlist().catch(() => undefined);
    }
  };
  const recovery = new RecoveryService({
    dataDir: env.dataDir,
    config: () => config.loaded.config.snapshots,
    state: vigilStateAccess(database, env.dataDir),
    audit,
    onProgress: relayProgress,
    searchPath: env.searchPath,
  });
  const recoveryScheduler = new RecoveryScheduler(recovery, () => config.loaded.config.snapshots, log, audit);
  registerRecoveryRoutes(router, { recovery, relayProgress });
  registerOffsiteRoutes(router, { recovery });
  duties.add({ start: () => recoveryScheduler.start(), stop: () => recoveryScheduler.stop() });
  const offsiteScheduler = new OffsiteScheduler(recovery.offsite, () => config.loaded.config.snapshots.offsite, log);
  duties.add({ start: () => offsiteScheduler.start(), stop: () => offsiteScheduler.stop() });
  const watchRecovery = (watcher: (progress: RecoveryProgress) => void) => {
    progressWatchers.add(watcher);
    return () => void progressWatchers.delete(watcher);
  };
  return { recovery, recoveryScheduler, watchRecovery, stop: async () => void (await Promise.all([recoveryScheduler.stop(), offsiteScheduler.stop()])) };
}
