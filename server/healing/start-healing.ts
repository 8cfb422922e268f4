import type { AuditWriter } from '../audit';
import type { ConfigWatcher } from '../config/config-file';
import type { StartedDatabase } from '../db/start-database';
import type { WorkerEnv } from '../env/worker-env';
import type { LeaderDuties } from '../ha/leader-duties';
import type { HostPressure } from '../health/start-health';
import { registerHealingRoutes } from '../http/routes/healing-routes';
import type { Router } from '../http/router';
import type { LiveEmitter } from '../live/live-outlet';
import type { Logger } from '../log';
import type { WorkerMetrics } from '../metrics';
import type { Notifier } from '../notify';
import { HealingService } from './healing-service';

export interface HealingDeps {
  env: WorkerEnv;
  db: StartedDatabase;
  audit: AuditWriter;
  log: Logger;
  config: ConfigWatcher;
  hostPressure: HostPressure;
  notifier: Pick<Notifier, 'notify'>;
  metrics: Pick<WorkerMetrics, 'observeProbe'>;
  live: Pick<LiveEmitter, 'emitModules' | 'emitIncident'>;
  duties: LeaderDuties;
  router: Router;
}

/** Modules, probes, incidents and recovery; only the leader probes and heals. */
export function startHealing({ env, db, audit, log, config, hostPressure, notifier, metrics, live, duties, router }: HealingDeps) {
  const healing = new HealingService({
    database: db.database,
    audit,
    log,
    searchPath: env.searchPath,
    dataDir: env.dataDir,
    config: () => config.loaded.config,
    configStatus: () => config.status,
    host: hostPressure,
    onModules: (modules) => live.emitModules(modules),
    onIncident: (incident) => live.emitIncident(incident),
    notify: (notification) => notifier.notify(notification),
    onProbe: (module, latencyMs) => metrics.observeProbe(module, latencyMs),
  });
  registerHealingRoutes(router, { healing });
  duties.add({
    start: async () => {
      await db.whenDatabase(() => healing.start());
      config.onChange(
        () => void healing.reconcile().catch((error: unknown) => log.error({ err: (error as Error).message }, 'could not apply the module changes')),
      );
    },
    stop: () => healing.close(),
  });
  return { healing, stop: () => healing.close() };
}
