import type { IntegrityFinding } from '@/lib/integrity/integrity-status';
import type { SignalSink } from '@/lib/defense/signals';
import type { AuditWriter } from './audit';
import type { ConfigWatcher } from './config/config-file';
import type { Database } from './db/client';
import type { DefenseService } from './defense';
import type { WorkerEnv } from './env/worker-env';
import { registerIntegrityRoutes } from './http/routes/integrity-routes';
import type { Router } from './http/router';
import { FileIntegrity, readRecentFindings, vigilRepoRoot } from './integrity';
import type { LiveEmitter } from './live/live-outlet';
import type { Logger } from './log';
import { LogTailer } from './logtail';

export interface WatchersOptions {
  env: WorkerEnv;
  config: ConfigWatcher;
  audit: AuditWriter;
  /** Where past integrity findings are read back from at start. */
  database: Database;
  log: Logger;
  router: Router;
  live: () => Pick<LiveEmitter, 'emitIntegrityFinding'> | null;
  /** Where tailed log lines go: the defense module's detectors. */
  signals: SignalSink;
  /** A critical watched file was tampered with: the defense module goes to LOCKDOWN. */
  onCriticalTamper: (finding: IntegrityFinding) => void;
}

export interface Watchers {
  logTailer: LogTailer;
  fileIntegrity: FileIntegrity;
  stop(): Promise<void>;
}

/** The log tailer and file integrity: both follow files on disk and both follow the config file. */
export async function startWatchers({ env, config, audit, database, log, router, live, signals, onCriticalTamper }: WatchersOptions): Promise<Watchers> {
  const logTailer = new LogTailer({ sink: signals, log });
  const applyLogs = () =>
    logTailer.configure(config.loaded.config.logs).catch((error: unknown) => log.error({ err: error }, 'log tailer could not apply the configuration'));
  await applyLogs();

  const fileIntegrity = new FileIntegrity({
    dataDir: env.dataDir,
    config: () => config.loaded.config.integrity,
    self: env.integritySelf ? { repoRoot: vigilRepoRoot(), configFile: env.configPath } : null,
    audit,
    log,
    onFinding: (finding) => live()?.emitIntegrityFinding(finding),
    onCriticalTamper,
    history: (take) => readRecentFindings(database, take),
  });
  // In the background: the first scan hashes every watched file, and the worker need not wait for it.
  void fileIntegrity.start().catch((error: unknown) => log.error({ err: error }, 'file integrity could not start'));
  registerIntegrityRoutes(router, { integrity: fileIntegrity });

  const unsubscribe = config.onChange(() => {
    void applyLogs();
    void fileIntegrity.reconfigure();
  });
  return {
    logTailer,
    fileIntegrity,
    async stop() {
      unsubscribe();
      await Promise.all([logTailer.stop(), fileIntegrity.stop()]);
    },
  };
}

/**
 * Critical tampering asks for LOCKDOWN once; further findings while it is pending or in force
 * are in the audit trail already and would only rewrite the lockdown's reason.
 */
export function lockdownOnCriticalTamper(defense: Pick<DefenseService, 'mode' | 'lockdown'>, log: Logger): (finding: IntegrityFinding) => void {
  let pending = false;
  return (finding) => {
    if (pending || defense.mode === 'LOCKDOWN') return;
    pending = true;
    defense
      .lockdown({ actor: 'system', reason: `critical file ${finding.kind}: ${finding.path}`.slice(0, 500) })
      .catch((error: unknown) => log.error({ err: error, path: finding.path }, 'could not go to LOCKDOWN after critical tampering'))
      .finally(() => (pending = false));
  };
}
