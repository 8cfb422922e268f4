import path from 'node:path';
import type { Server } from 'node:http';
import type { RecoveryProgress } from '@/lib/recovery/snapshot-schema';
import { openDatabase } from './db/client';
import { applyMigrations } from './db/migrate';
import { AuditWriter } from './audit';
import { AuditIntegrity } from './audit/audit-integrity';
import { ApiTokenAuthenticator, provisionEnvToken } from './auth/api-tokens';
import { HealthMonitor } from './health/health-monitor';
import { SystemSampler } from './health/system-sampler';
import { createLiveServer, type LiveServer } from './live/live-server';
import { liveBindingsInForce } from './auth/live-binding';
import { createHttpServer, listen } from './http/http-server';
import type { Router } from './http/router';
import { registerHealthRoutes } from './http/routes/health-routes';
import { registerIngestRoutes } from './http/routes/ingest-routes';
import { registerAuditRoutes } from './http/routes/audit-routes';
import { registerInternalRoutes } from './http/routes/internal-routes';
import { registerRecoveryRoutes } from './http/routes/recovery-routes';
import { registerForecastRoutes } from './http/routes/forecast-routes';
import { Forecaster, workerForecastSources } from './forecast';
import { registerDefenseRoutes } from './http/routes/defense-routes';
import { registerDefenseInternalRoutes } from './http/routes/defense-internal-routes';
import { registerBouncerRoutes } from './http/routes/bouncer-routes';
import { createGuardHandler, DefenseService } from './defense';
import { lockdownOnCriticalTamper, startWatchers, type Watchers } from './watchers';
import { ConfigWatcher } from './config/config-file';
import { reportConfigReloads } from './config/config-reporting';
import { HealingService } from './healing';
import { Notifier } from './notify';
import { registerHealingRoutes } from './http/routes/healing-routes';
import { registerDrillRoutes } from './http/routes/drill-routes';
import { registerMetricsRoutes } from './http/routes/metrics-routes';
import { registerClusterRoutes } from './http/routes/cluster-routes';
import { registerAlertmanagerRoutes } from './http/routes/alertmanager-routes';
import { createWorkerMetrics, type WorkerMetrics } from './metrics';
import { DrillService } from './drills/drill-service';
import { RecoveryScheduler, RecoveryService, vigilStateAccess } from './recovery';
import { createLogger, type Logger } from './log';
import { SchemaKeeper } from './db/schema-keeper';
import { dbErrorMessage } from './db/db-error';
import { Cluster, ClusterRouter, forwardToLeader, LeaderHealth, SignalRelay } from './ha';
import { startHousekeeping, warnOfForeignKey } from './worker-chores';
import type { StartWorkerOptions, Worker } from './worker-types';

export type { StartWorkerOptions, Worker } from './worker-types';

/** What the leader starts and the worker stops at close; null while this replica stands by. */
interface LeaderDuties {
  watchers: Watchers | null;
  housekeeping: NodeJS.Timeout | null;
}

interface ServiceOptions extends StartWorkerOptions {
  log: Logger;
  port: number;
  router: Router;
  httpServer: Server;
  startedAt: Date;
  /** Filled in once the cluster exists: the router's standby check reads it. */
  clusterRef: { current: Cluster | null };
  config: ConfigWatcher;
}

async function startServices({ env, sampler, log, migrationsDir, router, httpServer, startedAt, port, clusterRef, onLeadershipLost, config }: ServiceOptions) {
  const database = await openDatabase({ url: env.databaseUrl, busyTimeoutMs: env.sqliteBusyTimeoutMs });
  try {
    const schema = new SchemaKeeper(() => applyMigrations(env.databaseUrl, migrationsDir), log);
    await schema.ensure();
    let live: LiveServer | null = null;
    let cluster: Cluster | null = null;
    let leadershipLost = false;
    const isLeader = () => cluster === null || cluster.role === 'leader';
    // Created after the monitor, which reads module states through it for the score.
    let healing: HealingService | null = null;
    const integrity: AuditIntegrity = new AuditIntegrity({ database, env, log, audit: () => audit });
    const audit = new AuditWriter({
      database,
      spoolFile: path.join(env.dataDir, 'audit-spool.ndjson'),
      log,
      onCommitted: (events) => {
        live?.emitAudit(events);
        // Checkpoints are the leader's; a standby's ingest commits are in the chain it signs.
        if (isLeader()) integrity.observe(events);
      },
    });
    await audit.start();

    const tokens = new ApiTokenAuthenticator(database.prisma);
    router.authenticateWith({ tokens, secret: env.secret });
    if (env.apiToken) {
      const token = env.apiToken;
      schema.whenReady(() => provisionEnvToken(database.prisma, token));
    }

    const monitor = new HealthMonitor({
      sampler: sampler ?? new SystemSampler({ mounts: env.diskMounts }),
      database,
      audit,
      log,
      intervalMs: env.sampleIntervalMs,
      hysteresis: env.hysteresis,
      confirmSamples: env.confirmSamples,
      rawRetentionMs: env.rawRetentionMs,
      rollupRetentionMs: env.rollupRetentionMs,
      startedAt,
      onSnapshot: (snapshot) => live?.emitHealth(snapshot),
      onDegradationChange: (change) => live?.emitDegradation(change),
      moduleHealth: () => healing?.engine.list() ?? [],
    });
    // Elected last, once everything it starts exists; the leader's duties are defined below.
    cluster =
      env.ha
        ? new Cluster({
            database,
            url: env.databaseUrl,
            nodeId: env.nodeId,
            advertiseUrl: env.advertiseUrl ?? `http://127.0.0.1:${port}`,
            log,
            onElected: () => leaderDuties(),
            onLost: (reason) => {
              leadershipLost = true;
              // Nothing may run twice: everything that acts stops now, before the lock is given back.
              defense.demote();
              clearInterval(duties.housekeeping ?? undefined);
              const stopping = [healing?.close(), duties.watchers?.stop(), recoveryScheduler.stop(), drills.close(), forecaster.stop(), monitor.stop()];
              void Promise.allSettled(stopping).finally(() => onLeadershipLost?.(reason));
            },
            onMessage: (message) => defense.applyClusterMessage(message),
            onResync: () => void defense.resync().catch((error: unknown) => log.warn({ err: dbErrorMessage(error) }, 'defense state not reloaded')),
          })
        : null;
    clusterRef.current = cluster;
    const leaderHealth = new LeaderHealth(database.prisma);
    live = createLiveServer({ httpServer, secret: env.secret, log, currentHealth: () => monitor.current(), fanOutPool: cluster?.pool, bindingsInForce: (bindings) => liveBindingsInForce(database.prisma, bindings) });

    // Only the leader announces: every replica's dashboards then show the status the operator API answers with.
    reportConfigReloads({ config, log, audit, announce: (status) => {
      if (isLeader()) live?.emitConfigStatus(status);
    } });
    config.start();
    const relayProgress = (progress: RecoveryProgress) => {
      live?.emitRecoveryProgress(progress);
      // A finished restore may have brought back older settings.
      if (progress.finished && progress.operation === 'restore') {
        void monitor.reloadPin().catch(() => undefined);
        void healing?.reloadConsoleModules().catch(() => undefined);
        void defense?.reloadAllowlist().catch(() => undefined);
      }
    };
    const recovery = new RecoveryService({ dataDir: env.dataDir, config: () => config.loaded.config.snapshots, state: vigilStateAccess(database.prisma, env.dataDir), audit, onProgress: relayProgress, searchPath: env.searchPath });
    const recoveryScheduler = new RecoveryScheduler(recovery, () => config.loaded.config.snapshots, log);

    // The health monitor's last sample: detectors and diagnosis weigh the host's pressure.
    // It is read on the guard's path, so it hands out the sample itself, never a new object.
    const noPressure = { cpuPercent: 0, memoryPercent: 0 };
    const hostPressure = () => monitor.current()?.sample ?? noPressure;
    // Read at scrape time; `defense` and `healing` are filled in below before the route exists.
    const metrics: WorkerMetrics = createWorkerMetrics({
      healthScore: () => monitor.current()?.score ?? null,
      degradation: () => monitor.currentLevel(),
      modules: () => healing?.engine.list() ?? [],
      probePacing: () => ({ startDelayP99Ms: healing?.engine.pacer.startDelayP99() ?? null, inconclusive: healing?.engine.pacer.episodes.total ?? 0 }),
      defenseMode: () => defense.mode,
      isolations: () => defense.blocklist.active().length,
      newestVerifiedGolden: async () => {
        const newest = (await recovery.overview()).golden.newest;
        return newest ? { name: newest.name, createdAt: new Date(newest.createdAt) } : null;
      },
      auditHeadSeq: () => audit.headSeq,
      clusterRole: () => cluster?.role ?? null,
    });
    const defense = new DefenseService({
      database,
      audit,
      log,
      host: hostPressure,
      config: () => config.loaded.config,
      onThreat: (threat) => {
        metrics.countThreat(threat);
        live?.emitDefense('defense:threat', threat);
      },
      onDecision: (change) => {
        live?.emitDefense('defense:decision', change);
        void cluster?.publish({ kind: 'decision', change: change.change, decision: change.decision });
      },
      onMode: (change) => {
        live?.emitDefense('defense:mode', change);
        void cluster?.publish({ kind: 'mode', mode: change.to, lockdown: change.lockdown });
      },
      onAllowlist: () => void cluster?.publish({ kind: 'allowlist' }),
    });
    // A standby relays what it sees to the leader's detectors; `lead()` ends that.
    const relay = cluster ? new SignalRelay({ send: (signals) => void cluster.publish({ kind: 'signals', signals }) }) : null;
    if (relay) defense.follow((signal) => relay.add(signal));
    config.onChange(() => defense.reconfigure());
    // With the database unreachable at start, these load once it answers; until then the
    // worker serves degraded (no stored isolations or console modules yet) instead of dying.
    const whenDatabase = async (task: () => Promise<unknown>) => (schema.isReady ? task() : schema.whenReady(task));
    // Heard before loaded: what the leader says meanwhile waits in the defense until its state is read.
    await cluster?.listen();
    await whenDatabase(async () => {
      const blocklist = await defense.start();
      log.info({ isolations: blocklist.loaded, ms: blocklist.ms }, 'defense decisions loaded');
    });
    router.addFast('/guard/check', createGuardHandler(defense, log));
    registerDefenseRoutes(router, { defense });
    registerDefenseInternalRoutes(router, { defense });
    await registerBouncerRoutes(router, { db: database.prisma, audit, log, deliveredTo: (tokenId) => defense.stream.lastDelivered(tokenId), httpServer });

    const notifier = new Notifier({ config: () => config.loaded.config.notifications, audit, log });
    healing = new HealingService({
      database,
      audit,
      log,
      searchPath: env.searchPath,
      dataDir: env.dataDir,
      config: () => config.loaded.config,
      configStatus: () => config.status,
      host: hostPressure,
      onModules: (modules) => live?.emitModules(modules),
      onIncident: (incident) => live?.emitIncident(incident),
      notify: (notification) => notifier.notify(notification),
      onProbe: (module, latencyMs) => metrics.observeProbe(module, latencyMs),
    });
    registerHealingRoutes(router, { healing });
    const drills = new DrillService({ dataDir: env.dataDir, searchPath: env.searchPath, audit, log, config: () => config.loaded.config.drills });
    registerDrillRoutes(router, { drills });

    registerClusterRoutes(router, { cluster });
    registerHealthRoutes(router, { monitor, audit, config: () => config.summary, defenseMode: () => defense.mode, cluster: () => cluster?.status() ?? null, leaderHealth: () => leaderHealth.current() });
    registerIngestRoutes(router, { audit, signals: defense.sink });
    registerMetricsRoutes(router, { metrics });
    registerAlertmanagerRoutes(router, { audit, healing, signals: defense.sink });
    registerAuditRoutes(router, { database });
    registerInternalRoutes(router, { monitor, integrity });
    registerRecoveryRoutes(router, { recovery, relayProgress });
    const forecaster = new Forecaster({
      dataDir: env.dataDir,
      log,
      audit,
      config: () => config.loaded.config.forecast,
      ...workerForecastSources({ database, databaseUrl: env.databaseUrl, monitor, healing, defense, recovery, config: () => config.loaded.config }),
      onUpdate: (update) => live?.emitForecast(update),
    });
    registerForecastRoutes(router, { forecaster });

    await audit.append({ type: 'worker.started', severity: 'info', actor: 'system', action: 'start worker', module: 'worker', method: 'process', details: { pid: process.pid, port, database: database.provider, ...(cluster && { node: env.nodeId }) } });

    // Probes, detectors, healing and every schedule run on one replica only: the only one on
    // SQLite, the elected leader on PostgreSQL (at start, or when the leader before it is gone).
    const duties: LeaderDuties = { watchers: null, housekeeping: null };
    let dutiesStarted: Promise<void> | null = null;
    // Each step first checks the lock is still held: a leader that lost it mid-start starts nothing more.
    const stillLeading = () => {
      if (leadershipLost) throw new Error('leadership was lost while the duties started');
    };
    const leaderDuties = () =>
      (dutiesStarted ??= (async () => {
        if (relay) {
          relay.stop();
          await whenDatabase(() => defense.lead());
        }
        stillLeading();
        await integrity.start();
        stillLeading();
        await monitor.start();
        stillLeading();
        await whenDatabase(() => healing!.start());
        config.onChange(() => void healing!.reconcile().catch((error: unknown) => log.error({ err: (error as Error).message }, 'could not apply the module changes')));
        stillLeading();
        duties.watchers = await startWatchers({ env, config, audit, database, log, router, live: () => live, signals: defense.sink, onCriticalTamper: lockdownOnCriticalTamper(defense, log) });
        stillLeading();
        duties.housekeeping = startHousekeeping(database, log, integrity);
        recoveryScheduler.start();
        drills.startSchedule();
        await forecaster.start();
        stillLeading();
        if (cluster) await warnOfForeignKey(database, integrity, audit, log);
        if (cluster) await audit.append({ type: 'cluster.leader_elected', severity: 'notice', actor: 'system', action: 'lead the workers', module: 'cluster', method: 'election', details: { node: env.nodeId, url: cluster.status().leader?.url ?? null } });
      })());
    if (cluster) await cluster.elect();
    else await leaderDuties();
    const leading = cluster ? cluster.whenElected() : Promise.resolve();
    return { database, audit, monitor, live, tokens, schema, duties, integrity, config, recovery, recoveryScheduler, defense, healing, notifier, drills, forecaster, cluster, relay, leading, dutiesStarting: () => dutiesStarted };
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
}

export async function startWorker({ env, sampler, log = createLogger('worker', env.logLevel), migrationsDir, onLeadershipLost }: StartWorkerOptions): Promise<Worker> {
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
        if (!res.headersSent) res.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'retry-after': '2' }).end('{"error":{"code":"no_leader","message":"the request could not be forwarded; retry in a moment"}}');
      });
    return true;
  });
  // Before anything listens or opens: a configuration file that does not validate stops the start.
  const config = new ConfigWatcher(env.configPath);
  let ready = false;
  const httpServer = createHttpServer(router, log, () => ready);
  // Listen first: a port conflict should fail fast, before anything else starts.
  const port = await listen(httpServer, env.port, env.host);
  let started: Awaited<ReturnType<typeof startServices>>;
  try {
    started = await startServices({ env, sampler, log, migrationsDir, router, httpServer, startedAt, port, clusterRef, onLeadershipLost, config });
  } catch (error) {
    // Nothing may keep the port (or the database) after a failed start.
    httpServer.closeAllConnections();
    await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    throw error;
  }
  ready = true;
  const { database, audit, monitor, live, tokens, schema, duties, integrity, recovery, recoveryScheduler, defense, healing, notifier, drills, forecaster, cluster, relay, leading, dutiesStarting } = started;
  log.info({ port, database: database.provider, role: cluster?.role ?? 'leader', node: cluster?.nodeId }, 'worker ready');
  const leaderOnly = <T>(what: string, value: T | undefined): T => {
    if (value === undefined) throw new Error(`${what} runs on the leader only`);
    return value;
  };

  let closing: Promise<void> | null = null;
  return {
    port,
    database,
    audit,
    monitor,
    integrity,
    recovery,
    recoveryScheduler,
    config,
    defense,
    get logTailer() {
      return leaderOnly('log tailing', duties.watchers?.logTailer);
    },
    get fileIntegrity() {
      return leaderOnly('file integrity', duties.watchers?.fileIntegrity);
    },
    healing,
    forecaster,
    notifier,
    cluster,
    leading,
    live,
    httpServer,
    routes: () => router.declarations(),
    log,
    close(reason = 'shutdown') {
      closing ??= (async () => {
        // Duties half way through starting would start timers after the stops below.
        const leaderDuties = dutiesStarting();
        await leaderDuties?.catch(() => undefined);
        schema.stop();
        if (duties.housekeeping) clearInterval(duties.housekeeping);
        config.stop();
        defense.stop();
        relay?.stop();
        await duties.watchers?.stop();
        await recoveryScheduler.stop();
        await forecaster.stop();
        await drills.close();
        await healing.close();
        await monitor.stop();
        await audit.append({ type: 'worker.stopped', severity: 'info', actor: 'system', action: 'stop worker', module: 'worker', reason, method: 'process', details: { pid: process.pid } }).catch(() => undefined);
        await notifier.close();
        await audit.close();
        if (leaderDuties) await integrity.stop();
        await tokens.close();
        await live.close();
        // After the last audit event and the live adapter: ending the session frees the leadership at once.
        await cluster?.stop();
        httpServer.closeAllConnections();
        await new Promise<void>((resolve) => httpServer.close(() => resolve()));
        await database.close();
      })();
      return closing;
    },
  };
}
