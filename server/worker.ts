import path from 'node:path';
import type { Server } from 'node:http';
import type { RecoveryProgress } from '@/lib/recovery/snapshot-schema';
import type { WorkerEnv } from './env/worker-env';
import { openDatabase, type Database } from './db/client';
import { applyMigrations } from './db/migrate';
import { AuditWriter } from './audit';
import { AuditIntegrity } from './audit/audit-integrity';
import { ApiTokenAuthenticator, provisionEnvToken } from './auth/api-tokens';
import { HealthMonitor, type Sampler } from './health/health-monitor';
import { SystemSampler } from './health/system-sampler';
import { createLiveServer, type LiveServer } from './live/live-server';
import { createHttpServer, listen } from './http/http-server';
import { Router } from './http/router';
import { registerHealthRoutes } from './http/routes/health-routes';
import { registerIngestRoutes } from './http/routes/ingest-routes';
import { registerAuditRoutes } from './http/routes/audit-routes';
import { registerInternalRoutes } from './http/routes/internal-routes';
import { registerRecoveryRoutes } from './http/routes/recovery-routes';
import { registerForecastRoutes } from './http/routes/forecast-routes';
import { Forecaster, workerForecastSources } from './forecast';
import { registerDefenseRoutes } from './http/routes/defense-routes';
import { registerDefenseInternalRoutes } from './http/routes/defense-internal-routes';
import { createGuardHandler, DefenseService } from './defense';
import { lockdownOnCriticalTamper, startWatchers } from './watchers';
import type { LogTailer } from './logtail';
import type { FileIntegrity } from './integrity';
import { ConfigWatcher } from './config/config-file';
import { HealingService } from './healing';
import { Notifier } from './notify';
import { registerHealingRoutes } from './http/routes/healing-routes';
import { registerDrillRoutes } from './http/routes/drill-routes';
import { registerMetricsRoutes } from './http/routes/metrics-routes';
import { registerAlertmanagerRoutes } from './http/routes/alertmanager-routes';
import { createWorkerMetrics, type WorkerMetrics } from './metrics';
import { DrillService } from './drills/drill-service';
import { RecoveryScheduler, RecoveryService, vigilStateAccess } from './recovery';
import { createLogger, type Logger } from './log';
import { SchemaKeeper } from './db/schema-keeper';
import { deleteExpiredSessions } from './queries/sessions';
import { dbErrorMessage } from './db/db-error';

const HOUSEKEEPING_EVERY_MS = 3_600_000;

/** Hourly chores that belong to no capability: ended sessions are removed, old audit events pruned. */
function startHousekeeping(database: Database, log: Logger, integrity: AuditIntegrity): NodeJS.Timeout {
  const run = () => {
    void deleteExpiredSessions(database.prisma, new Date())
      .then((removed) => removed > 0 && log.info({ removed }, 'removed expired sessions'))
      .catch((error: unknown) => log.warn({ err: dbErrorMessage(error) }, 'session clean-up failed'));
    void integrity.prune().catch((error: unknown) => log.warn({ err: dbErrorMessage(error) }, 'audit retention failed'));
  };
  run();
  const timer = setInterval(() => void run(), HOUSEKEEPING_EVERY_MS);
  timer.unref();
  return timer;
}

export interface Worker {
  port: number;
  database: Database;
  audit: AuditWriter;
  monitor: HealthMonitor;
  integrity: AuditIntegrity;
  recovery: RecoveryService;
  recoveryScheduler: RecoveryScheduler;
  config: ConfigWatcher;
  /** The guardian; `defense.lockdown()` / `defense.sink` are what other capabilities call. */
  defense: DefenseService;
  /** Tailed logs (sshd, access logs) feeding the defense's detectors. */
  logTailer: LogTailer;
  /** Hashes and watches registered files (and Vigil's own code); not to be confused with the audit chain's `integrity`. */
  fileIntegrity: FileIntegrity;
  /** Modules, probes, incidents and recovery. */
  healing: HealingService;
  /** Risk per subsystem, predictions, mitigations and the hardening governor. */
  forecaster: Forecaster;
  notifier: Notifier;
  live: LiveServer;
  httpServer: Server;
  log: Logger;
  /** Flushes what is pending, records the stop and closes everything. */
  close(reason?: string): Promise<void>;
}

export interface StartWorkerOptions {
  env: WorkerEnv;
  /** Replaces the host sampler, for tests that need a given load. */
  sampler?: Sampler;
  log?: Logger;
  migrationsDir?: string;
}

interface ServiceOptions extends StartWorkerOptions {
  log: Logger;
  port: number;
  router: Router;
  httpServer: Server;
  startedAt: Date;
}

async function startServices({ env, sampler, log, migrationsDir, router, httpServer, startedAt, port }: ServiceOptions) {
  const database = await openDatabase({ url: env.databaseUrl, busyTimeoutMs: env.sqliteBusyTimeoutMs });
  try {
    const schema = new SchemaKeeper(() => applyMigrations(env.databaseUrl, migrationsDir), log);
    await schema.ensure();
    let live: LiveServer | null = null;
    // Created after the monitor, which reads module states through it for the score.
    let healing: HealingService | null = null;
    const integrity: AuditIntegrity = new AuditIntegrity({ database, env, log, audit: () => audit });
    const audit = new AuditWriter({
      database,
      spoolFile: path.join(env.dataDir, 'audit-spool.ndjson'),
      log,
      onCommitted: (events) => {
        live?.emitAudit(events);
        integrity.observe(events);
      },
    });
    await audit.start();
    await integrity.start();

    const tokens = new ApiTokenAuthenticator(database.prisma);
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
    live = createLiveServer({ httpServer, secret: env.secret, log, currentHealth: () => monitor.current() });

    const config = new ConfigWatcher(env.configPath);
    const reportConfig = () => {
      for (const problem of config.loaded.problems) log.error({ file: config.loaded.file, field: problem.field }, `config: ${problem.message}`);
    };
    reportConfig();
    config.onChange(() => {
      log.info({ file: config.loaded.file }, 'configuration reloaded');
      reportConfig();
    });
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
      defenseMode: () => defense.mode,
      isolations: () => defense.blocklist.active().length,
      newestVerifiedGolden: async () => {
        const newest = (await recovery.overview()).golden.newest;
        return newest ? { name: newest.name, createdAt: new Date(newest.createdAt) } : null;
      },
      auditHeadSeq: () => audit.headSeq,
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
      onDecision: (change) => live?.emitDefense('defense:decision', change),
      onMode: (change) => live?.emitDefense('defense:mode', change),
    });
    config.onChange(() => defense.reconfigure());
    // With the database unreachable at start, these load once it answers; until then the
    // worker serves degraded (no stored isolations or console modules yet) instead of dying.
    const whenDatabase = async (task: () => Promise<unknown>) => (schema.isReady ? task() : schema.whenReady(task));
    await whenDatabase(async () => {
      const blocklist = await defense.start();
      log.info({ isolations: blocklist.loaded, ms: blocklist.ms }, 'defense decisions loaded');
    });
    router.addFast('/guard/check', createGuardHandler(defense, log));
    registerDefenseRoutes(router, { defense, tokens });
    registerDefenseInternalRoutes(router, { secret: env.secret, defense });

    const notifier = new Notifier({ config: () => config.loaded.config.notifications, audit, log });
    healing = new HealingService({
      database,
      audit,
      log,
      searchPath: env.searchPath,
      config: () => config.loaded.config,
      host: hostPressure,
      onModules: (modules) => live?.emitModules(modules),
      onIncident: (incident) => live?.emitIncident(incident),
      notify: (notification) => notifier.notify(notification),
      onProbe: (module, latencyMs) => metrics.observeProbe(module, latencyMs),
    });
    config.onChange(() => void healing.reconcile().catch((error: unknown) => log.error({ err: (error as Error).message }, 'could not apply the module changes')));
    registerHealingRoutes(router, { healing, tokens, secret: env.secret });
    const drills = new DrillService({ dataDir: env.dataDir, searchPath: env.searchPath, audit, log, config: () => config.loaded.config.drills });
    registerDrillRoutes(router, { secret: env.secret, drills });

    registerHealthRoutes(router, { monitor, audit, tokens, defenseMode: () => defense.mode });
    registerIngestRoutes(router, { audit, tokens, signals: defense.sink });
    registerMetricsRoutes(router, { metrics });
    registerAlertmanagerRoutes(router, { audit, tokens, moduleNames: () => healing?.engine.list().map((m) => m.name) ?? [] });
    const watchers = await startWatchers({ env, config, audit, log, router, live: () => live, signals: defense.sink, onCriticalTamper: lockdownOnCriticalTamper(defense, log) });
    registerAuditRoutes(router, { database, tokens });
    registerInternalRoutes(router, { secret: env.secret, monitor, integrity });
    registerRecoveryRoutes(router, { secret: env.secret, recovery, relayProgress });
    const forecaster = new Forecaster({
      dataDir: env.dataDir,
      log,
      audit,
      config: () => config.loaded.config.forecast,
      ...workerForecastSources({ database, databaseUrl: env.databaseUrl, monitor, healing, defense, recovery, config: () => config.loaded.config }),
      onUpdate: (update) => live?.emitForecast(update),
    });
    registerForecastRoutes(router, { forecaster, tokens, secret: env.secret });

    await audit.append({ type: 'worker.started', severity: 'info', actor: 'system', action: 'start worker', module: 'worker', method: 'process', details: { pid: process.pid, port, database: database.provider } });
    await monitor.start();
    await whenDatabase(() => healing!.start());
    const housekeeping = startHousekeeping(database, log, integrity);
    recoveryScheduler.start();
    drills.startSchedule();
    await forecaster.start();
    return { database, audit, monitor, live, tokens, schema, housekeeping, integrity, config, recovery, recoveryScheduler, defense, watchers, healing, notifier, drills, forecaster };
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
}

export async function startWorker({ env, sampler, log = createLogger('worker', env.logLevel), migrationsDir }: StartWorkerOptions): Promise<Worker> {
  const startedAt = new Date();
  const router = new Router();
  let ready = false;
  const httpServer = createHttpServer(router, log, () => ready);
  // Listen first: a port conflict should fail fast, before anything else starts.
  const port = await listen(httpServer, env.port, env.host);
  let started: Awaited<ReturnType<typeof startServices>>;
  try {
    started = await startServices({ env, sampler, log, migrationsDir, router, httpServer, startedAt, port });
  } catch (error) {
    // Nothing may keep the port (or the database) after a failed start.
    httpServer.closeAllConnections();
    await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    throw error;
  }
  ready = true;
  const { database, audit, monitor, live, tokens, schema, housekeeping, integrity, config, recovery, recoveryScheduler, defense, watchers, healing, notifier, drills, forecaster } = started;
  log.info({ port, database: database.provider }, 'worker ready');

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
    logTailer: watchers.logTailer,
    fileIntegrity: watchers.fileIntegrity,
    healing,
    forecaster,
    notifier,
    live,
    httpServer,
    log,
    close(reason = 'shutdown') {
      closing ??= (async () => {
        schema.stop();
        clearInterval(housekeeping);
        config.stop();
        defense.stop();
        await watchers.stop();
        await recoveryScheduler.stop();
        await forecaster.stop();
        await drills.close();
        await healing.close();
        await monitor.stop();
        await audit.append({ type: 'worker.stopped', severity: 'info', actor: 'system', action: 'stop worker', module: 'worker', reason, method: 'process', details: { pid: process.pid } }).catch(() => undefined);
        await notifier.close();
        await audit.close();
        await integrity.stop();
        await tokens.close();
        await live.close();
        httpServer.closeAllConnections();
        await new Promise<void>((resolve) => httpServer.close(() => resolve()));
        await database.close();
      })();
      return closing;
    },
  };
}
