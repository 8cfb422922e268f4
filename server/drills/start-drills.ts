import type { AuditWriter } from '../audit';
import type { ConfigWatcher } from '../config/config-file';
import type { WorkerEnv } from '../env/worker-env';
import type { LeaderDuties } from '../ha/leader-duties';
import { registerDrillRoutes } from '../http/routes/drill-routes';
import type { Router } from '../http/router';
import type { Logger } from '../log';
import { DrillService } from './drill-service';

/** Chaos drills against Vigil itself; the leader runs the schedule. */
export function startDrills({
  env,
  audit,
  log,
  config,
  duties,
  router,
}: {
  env: WorkerEnv;
  audit: AuditWriter;
  log: Logger;
  config: ConfigWatcher;
  duties: LeaderDuties;
  router: Router;
}) {
  const drills = new DrillService({ dataDir: env.dataDir, searchPath: env.searchPath, audit, log, config: () => config.loaded.config.drills });
  registerDrillRoutes(router, { drills });
  duties.add({ start: () => drills.startSchedule(), stop: () => drills.close() });
  return { drills, stop: () => drills.close() };
}
