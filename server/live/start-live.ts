import type { Server } from 'node:http';
import type { Namespace } from 'socket.io';
import { liveBindingsInForce } from '../auth/live-binding';
import type { Database } from '../db/client';
import type { WorkerEnv } from '../env/worker-env';
import type { Cluster } from '../ha';
import type { HealthMonitor } from '../health/health-monitor';
import type { Logger } from '../log';
import type { LiveOutlet } from './live-outlet';
import { createLazyLiveServer, type LazyLiveServer } from './lazy-live-server';
import type { LiveServer } from './live-server';

export interface LiveDeps {
  httpServer: Server;
  env: WorkerEnv;
  log: Logger;
  database: Database;
  monitor: HealthMonitor;
  cluster: Cluster | null;
  /** What the capabilities started before it announce; it reaches this server's clients from now on. */
  outlet: LiveOutlet;
  /** Who else serves on the socket server once it exists: the fleet's agents, on a namespace of their own. */
  onCreated?: (namespace: (name: string) => Namespace) => void;
}

/** How long the live server's close waits for its clients to answer it. */
const LIVE_CLOSE_GRACE_MS = 2000;

/**
 * socket.io on the worker's port: the dashboards' live feed (fanned out to every replica's clients
 * through PostgreSQL). The socket server is created by the first dashboard that connects; until
 * then the outlet drops what capabilities announce.
 */
export function startLive({ httpServer, env, log, database, monitor, cluster, outlet, onCreated }: LiveDeps) {
  const server = createLazyLiveServer(
    {
      httpServer,
      secret: env.secret,
      log,
      currentHealth: () => monitor.current(),
      fanOutPool: cluster?.pool,
      bindingsInForce: (bindings) => liveBindingsInForce(database.prisma, bindings),
    },
    (created) => {
      outlet.attach(created);
      // The dashboards' event types do not apply there: the fleet validates its own messages on arrival.
      onCreated?.((name) => created.io.of(name) as unknown as Namespace);
    },
  );
  // Announcing through the outlet reaches the socket server once it exists.
  const live: LiveServer & LazyLiveServer = { ...outlet, ...server };
  return {
    live,
    // The rest is cut by the HTTP server's close, which follows: a peer that does not answer its
    // WebSocket's close (a hung agent) would otherwise hold the stop for the 30 s `ws` waits.
    close: () => Promise.race([server.close(), new Promise<void>((resolve) => setTimeout(resolve, LIVE_CLOSE_GRACE_MS).unref())]),
  };
}
