import type { Server } from 'node:http';
import type { Database } from './db/client';
import type { AuditWriter } from './audit';
import type { AuditIntegrity } from './audit/audit-integrity';
import type { HealthMonitor, Sampler } from './health/health-monitor';
import type { LiveServer } from './live/live-server';
import type { WorkerEnv } from './env/worker-env';
import type { RecoveryScheduler, RecoveryService } from './recovery';
import type { ConfigWatcher } from './config/config-file';
import type { DefenseService } from './defense';
import type { GuardSupervisor } from './defense/guard-process/guard-supervisor';
import type { LogTailer } from './logtail';
import type { FileIntegrity } from './integrity';
import type { HealingService } from './healing';
import type { Forecaster } from './forecast';
import type { Notifier } from './notify';
import type { Cluster } from './ha';
import type { FleetConsole } from './fleet';
import type { Logger } from './log';
import type { RouteDescription } from './http/router';

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
  /** The dedicated guard process's supervisor, when VIGIL_GUARD_PORT is set. */
  guard: GuardSupervisor | null;
  /** Tailed logs (sshd, access logs) feeding the defense's detectors. */
  logTailer: LogTailer;
  /** Hashes and watches registered files (and Vigil's own code); not to be confused with the audit chain's `integrity`. */
  fileIntegrity: FileIntegrity;
  /** Modules, probes, incidents and recovery. */
  healing: HealingService;
  /** Risk per subsystem, predictions, mitigations and the hardening governor. */
  forecaster: Forecaster;
  notifier: Notifier;
  /** PostgreSQL only: leader election and the bus between replicas; null on SQLite. */
  cluster: Cluster | null;
  /** The hosts that enrolled with this worker as their console, and their events on the way in. */
  fleet: FleetConsole;
  /** Resolves once this replica leads and its duties run (never, on a standby that stays one). */
  leading: Promise<void>;
  live: LiveServer;
  httpServer: Server;
  /** Every route of the machine API with who may call it, as the router enforces it. */
  routes(): RouteDescription[];
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
  /**
   * A leader that lost its database session must stop acting at once; the process is then
   * expected to exit and come back as a standby (main.ts does so). Probes stop before this runs.
   */
  onLeadershipLost?: (reason: string) => void;
}
