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
import { ConfigWatcher } from './config/config-file';
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
      if (progress.finished && progress.operation === 'restore') void monitor.reloadPin().catch(() => undefined);
    };
    const recovery = new RecoveryService({ dataDir: env.dataDir, config: () => config.loaded.config.snapshots, state: vigilStateAccess(database.prisma), audit, onProgress: relayProgress, searchPath: env.searchPath });
    const recoveryScheduler = new RecoveryScheduler(recovery, () => config.loaded.config.snapshots, log);

    registerHealthRoutes(router, { monitor, audit, tokens, defenseMode: () => 'NORMAL' });
    registerIngestRoutes(router, { audit, tokens });
    registerAuditRoutes(router, { database, tokens });
    registerInternalRoutes(router, { secret: env.secret, monitor, integrity });
    registerRecoveryRoutes(router, { secret: env.secret, recovery, relayProgress });

    await audit.append({ type: 'worker.started', severity: 'info', actor: 'system', action: 'start worker', module: 'worker', method: 'process', details: { pid: process.pid, port, database: database.provider } });
    await monitor.start();
    const housekeeping = startHousekeeping(database, log, integrity);
    recoveryScheduler.start();
    return { database, audit, monitor, live, tokens, schema, housekeeping, integrity, config, recovery, recoveryScheduler };
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
  const { database, audit, monitor, live, tokens, schema, housekeeping, integrity, config, recovery, recoveryScheduler } = started;
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
    live,
    httpServer,
    log,
    close(reason = 'shutdown') {
      closing ??= (async () => {
        schema.stop();
        clearInterval(housekeeping);
        config.stop();
        await recoveryScheduler.stop();
        await monitor.stop();
        await audit.append({ type: 'worker.stopped', severity: 'info', actor: 'system', action: 'stop worker', module: 'worker', reason, method: 'process', details: { pid: process.pid } }).catch(() => undefined);
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
