import type { Server } from 'node:http';
import { startAlerts } from './alerts/start-alerts';
import { startAudit } from './audit/start-audit';
import { startAuth } from './auth/start-auth';
import { ConfigWatcher } from './config/config-file';
import { startConfig } from './config/start-config';
import { startDatabase } from './db/start-database';
import { startDefense } from './defense/start-defense';
import { startDrills } from './drills/start-drills';
import { statusOfHeartbeat } from '@/lib/fleet/host-status';
import { localHeartbeat, restorePushedConfig, startFleetAgent, startFleetConsole } from './fleet';
import { startForecast } from './forecast/start-forecast';
import { Cluster, ClusterRouter, forwardToLeader } from './ha';
import { LeaderDuties } from './ha/leader-duties';
import { startHa } from './ha/start-ha';
import { startHealing } from './healing/start-healing';
import { startHealth } from './health/start-health';
import { createHttpServer, listen } from './http/http-server';
import { destroyOpenConnections, trackOpenConnections } from './http/open-connections';
import type { Router } from './http/router';
import { startHttp } from './http/start-http';
import { startIntegrity } from './integrity/start-integrity';
import { Lifecycle } from './lifecycle';
import { createLiveOutlet } from './live/live-outlet';
import { startLive } from './live/start-live';
import { createLogger, type Logger } from './log';
import { createWorkerMetrics } from './metrics';
import { startNotify } from './notify/start-notify';
import { startRecovery } from './recovery/start-recovery';
import { startSettings } from './settings/start-settings';
import { startStatusPages } from './status-pages/start-status-pages';
import type { StartWorkerOptions, Worker } from './worker-types';

export type { StartWorkerOptions, Worker } from './worker-types';

interface ServiceOptions extends StartWorkerOptions {
  log: Logger;
  port: number;
  router: Router;
  httpServer: Server;
  startedAt: Date;
  /** Filled in once the cluster exists: the router's standby check reads it. */
  clusterRef: { current: Cluster | null };
  config: ConfigWatcher;
  lifecycle: Lifecycle;
}

/**
 * Every capability, in dependency order; each registers its routes and its leader's duties as it
 * starts, and the close runs the list backwards. A new capability is one `start…` line here.
 */
async function startServices({
  env,
  sampler,
  log,
  migrationsDir,
  router,
  httpServer,
  startedAt,
  port,
  clusterRef,
  onLeadershipLost,
  config,
  lifecycle,
}: ServiceOptions) {
  const duties = new LeaderDuties();
  // Capabilities announce to the outlet; the socket server, which reads them, attaches near the end.
  const live = createLiveOutlet();
  // Probes and threats are counted from the start; the gauges read the capabilities once they all exist.
  const metrics = createWorkerMetrics();

  const db = lifecycle.add(await startDatabase({ env, migrationsDir, log }));
  const { database } = db;
  // Requests still open when the worker closes end before the database does.
  lifecycle.add({ close: () => closeHttpServer(httpServer) });
  const ha = lifecycle.add(startHa({ env, db, port, log, duties, onLeadershipLost }));
  clusterRef.current = ha.cluster;
  const { audit, integrity, recordStop, onCommitted, announce } = lifecycle.add(await startAudit({ env, database, log, live, isLeader: ha.isLeader, duties }));
  lifecycle.add(startAuth({ env, db, router }));
  lifecycle.add(startConfig({ config, log, audit, live, isLeader: ha.isLeader }));
  // Before every capability that reads the sections an admin may set in the console.
  const consoleSettings = await startSettings({
    database,
    secret: env.secret,
    config,
    audit,
    log,
    router,
    paths: { dataDir: env.dataDir, configFile: env.configPath },
    ha,
  });
  // Before healing, which notifies.
  const { notifier } = lifecycle.add(startNotify({ config, audit, log }));
  consoleSettings.registerRoutes(notifier);
  const { alerts } = lifecycle.add(await startAlerts({ database, audit, onCommitted, config, log, duties, router }));
  const health = lifecycle.add(startHealth({ env, sampler, database, audit, log, startedAt, live, duties }));
  const { monitor, hostPressure } = health;
  const { healing } = lifecycle.add(startHealing({ env, db, audit, log, config, hostPressure, notifier, metrics, live, duties, router }));
  health.scoreModules(() => healing.engine.list());
  const { fleet } = lifecycle.add(await startFleetConsole({ env, database, audit, announce, log, live, router, ha, duties }));
  const { defense, guard, checkBlocklists } = lifecycle.add(
    await startDefense({
      db,
      audit,
      log,
      config,
      hostPressure,
      metrics,
      live,
      ha,
      router,
      httpServer,
      dataDir: env.dataDir,
      fleet,
      guardListen: env.guardListen,
    }),
  );
  consoleSettings.settings.checkBeforeSave('defense', checkBlocklists);
  fleet.resolveSourcesWith(defense.resolver);
  fleet.detectAcrossWith(defense, () => config.loaded.config.defense);
  const { watchers } = lifecycle.add(startIntegrity({ env, config, audit, database, log, router, live, defense, duties }));
  const { recovery, recoveryScheduler, watchRecovery } = lifecycle.add(
    startRecovery({ env, database, config, audit, log, live, reloadAfterRestore: { monitor, healing, defense }, duties, router }),
  );
  // What fleet commands run with, on the console's own host and, in agent mode, for the console.
  const fleetCommandServices = { defense, healing, recovery, watchRecovery };
  fleet.commandLocallyWith(fleetCommandServices);
  fleet.decideVantageWith(healing.engine);
  const { forecaster } = lifecycle.add(
    startForecast({
      database,
      databaseUrl: env.databaseUrl,
      dataDir: env.dataDir,
      monitor,
      healing,
      defense,
      recovery,
      config,
      audit,
      log,
      live,
      duties,
      router,
    }),
  );
  // Host 1's row and an agent's heartbeat are the same reading of this host.
  const heartbeat = localHeartbeat({ monitor, defense, healing, forecaster, recovery });
  fleet.reportLocalStateWith(() => {
    const { healthScore, degradation, defenseMode, ...status } = heartbeat();
    return { healthScore, degradation, defenseMode, status: statusOfHeartbeat(status) };
  });
  lifecycle.add(startDrills({ env, audit, log, config, duties, router }));
  await startStatusPages({ database, config, audit, log, healing, router });
  const { live: liveServer } = lifecycle.add(
    startLive({ httpServer, env, log, database, monitor, cluster: ha.cluster, outlet: live, onCreated: (namespace) => fleet.attachNamespace(namespace) }),
  );
  const { cluster, leaderHealth } = ha;
  startHttp({ router, database, config, audit, integrity, monitor, defense, guard, healing, recovery, cluster, leaderHealth, metrics });

  // Agent mode: after everything local runs, the connection out to the console.
  lifecycle.add(startFleetAgent({ env, services: fleetCommandServices, heartbeat, audit, database, onCommitted, config, retention: integrity, log }));

  await audit.append({
    type: 'worker.started',
    severity: 'info',
    actor: 'system',
    action: 'start worker',
    module: 'worker',
    method: 'process',
    details: { pid: process.pid, port, database: database.provider, ...(ha.cluster && { node: env.nodeId }) },
  });
  // Elected last, once everything the leader's duties start exists.
  await ha.elect({ audit, integrity });
  return {
    database,
    audit,
    recordStop,
    monitor,
    integrity,
    recovery,
    recoveryScheduler,
    defense,
    guard,
    healing,
    notifier,
    alerts,
    forecaster,
    ha,
    watchers,
    live: liveServer,
    fleet,
  };
}

function closeHttpServer(httpServer: Server): Promise<void> {
  httpServer.closeAllConnections();
  // WebSockets the live server's own close left open (peers that did not answer it in time).
  destroyOpenConnections(httpServer);
  return new Promise<void>((resolve) => httpServer.close(() => resolve()));
}

export async function startWorker({
  env,
  sampler,
  log = createLogger('worker', env.logLevel),
  migrationsDir,
  onLeadershipLost,
}: StartWorkerOptions): Promise<Worker> {
  const startedAt = new Date();
  const clusterRef: { current: Cluster | null } = { current: null };
  // A standby answers what it can from its own memory and forwards the rest to the leader.
  const router = new ClusterRouter((req, res) => {
    const cluster = clusterRef.current;
    if (!cluster || cluster.role === 'leader') return false;
    void cluster
      .leaderUrl()
      .then((leaderUrl) => forwardToLeader(req, res, { leaderUrl, nodeId: cluster.nodeId }))
      .catch((error: unknown) => {
        log.warn({ err: (error as Error).message }, 'could not forward a request to the leader');
        if (!res.headersSent)
          res
            .writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'retry-after': '2' })
            .end('{"error":{"code":"no_leader","message":"the request could not be forwarded; retry in a moment"}}');
      });
    return true;
  });
  // Before anything listens or opens: a configuration file that does not validate stops the start.
  const config = new ConfigWatcher(env.configPath);
  // An agent runs what the console last pushed to it, whether or not the console answers now.
  if (env.fleet) restorePushedConfig(config, env.dataDir);
  let ready = false;
  let stopping = false;
  const httpServer = createHttpServer(
    router,
    log,
    () => ready,
    () => stopping,
  );
  trackOpenConnections(httpServer);
  // Listen first: a port conflict should fail fast, before anything else starts.
  const port = await listen(httpServer, env.port, env.host);
  const lifecycle = new Lifecycle();
  let started: Awaited<ReturnType<typeof startServices>>;
  try {
    started = await startServices({ env, sampler, log, migrationsDir, router, httpServer, startedAt, port, clusterRef, onLeadershipLost, config, lifecycle });
  } catch (error) {
    // Nothing may keep the port (or the database) after a failed start.
    await lifecycle.abandon();
    await closeHttpServer(httpServer);
    throw error;
  }
  ready = true;
  const { ha, watchers, recordStop, ...services } = started;
  log.info({ port, database: services.database.provider, role: ha.cluster?.role ?? 'leader', node: ha.cluster?.nodeId }, 'worker ready');
  const leaderOnly = <T>(what: string, value: T | undefined): T => {
    if (value === undefined) throw new Error(`${what} runs on the leader only`);
    return value;
  };

  let closing: Promise<void> | null = null;
  return {
    port,
    ...services,
    config,
    get logTailer() {
      return leaderOnly('log tailing', watchers()?.logTailer);
    },
    get fileIntegrity() {
      return leaderOnly('file integrity', watchers()?.fileIntegrity);
    },
    cluster: ha.cluster,
    leading: ha.leading,
    httpServer,
    routes: () => router.declarations(),
    log,
    close(reason = 'shutdown') {
      closing ??= (async () => {
        // Before anything stops: /healthz says so from now on, so nothing more is routed here.
        stopping = true;
        await ha.settled();
        await lifecycle.stop();
        await recordStop(reason);
        // After the last audit event and the live adapter: ending the session frees the leadership at once.
        await lifecycle.close();
      })();
      return closing;
    },
  };
}
