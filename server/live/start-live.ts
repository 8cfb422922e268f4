import type { Server } from 'node:http';
import { liveBindingsInForce } from '../auth/live-binding';
import type { Database } from '../db/client';
import type { WorkerEnv } from '../env/worker-env';
import type { Cluster } from '../ha';
import type { HealthMonitor } from '../health/health-monitor';
import type { Logger } from '../log';
import type { LiveOutlet } from './live-outlet';
import { createLiveServer } from './live-server';

export interface LiveDeps {
  httpServer: Server;
  env: WorkerEnv;
  log: Logger;
  database: Database;
  monitor: HealthMonitor;
  cluster: Cluster | null;
  /** What the capabilities started before it announce; it reaches this server's clients from now on. */
  outlet: LiveOutlet;
}

/** socket.io on the worker's port: the dashboards' live feed (fanned out to every replica's clients through PostgreSQL). */
export function startLive({ httpServer, env, log, database, monitor, cluster, outlet }: LiveDeps) {
  const live = createLiveServer({
    httpServer,
    secret: env.secret,
    log,
    currentHealth: () => monitor.current(),
    fanOutPool: cluster?.pool,
    bindingsInForce: (bindings) => liveBindingsInForce(database.prisma, bindings),
  });
  outlet.attach(live);
  return { live, close: () => live.close() };
}
