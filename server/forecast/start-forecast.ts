import type { AuditWriter } from '../audit';
import type { ConfigWatcher } from '../config/config-file';
import type { LeaderDuties } from '../ha/leader-duties';
import { registerForecastRoutes } from '../http/routes/forecast-routes';
import type { Router } from '../http/router';
import type { LiveEmitter } from '../live/live-outlet';
import type { Logger } from '../log';
import { Forecaster } from './forecaster';
import { workerForecastSources, type WorkerForecastDeps } from './worker-sources';

export interface ForecastDeps extends Omit<WorkerForecastDeps, 'config' | 'databaseUrl'> {
  databaseUrl: string;
  dataDir: string;
  config: ConfigWatcher;
  audit: AuditWriter;
  log: Logger;
  live: Pick<LiveEmitter, 'emitForecast'>;
  duties: LeaderDuties;
  router: Router;
}

/** Risk per subsystem, predictions, mitigations and the hardening governor; the leader forecasts. */
export function startForecast({ dataDir, config, audit, log, live, duties, router, ...capabilities }: ForecastDeps) {
  const forecaster = new Forecaster({
    dataDir,
    log,
    audit,
    config: () => config.loaded.config.forecast,
    ...workerForecastSources({ ...capabilities, config: () => config.loaded.config }),
    onUpdate: (update) => live.emitForecast(update),
  });
  config.onChange(() => forecaster.reconfigure());
  registerForecastRoutes(router, { forecaster });
  duties.add({ start: () => forecaster.start(), stop: () => forecaster.stop() });
  return { forecaster, stop: () => forecaster.stop() };
}
