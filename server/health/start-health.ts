import type { ModuleHealth } from '@/lib/health/score';
import type { AuditWriter } from '../audit';
import type { Database } from '../db/client';
import type { WorkerEnv } from '../env/worker-env';
import type { LeaderDuties } from '../ha/leader-duties';
import type { LiveEmitter } from '../live/live-outlet';
import type { Logger } from '../log';
import { HealthMonitor, type Sampler } from './health-monitor';
import { SystemSampler } from './system-sampler';

/** The host's CPU and memory now, as detectors and diagnosis weigh them. */
export type HostPressure = () => { cpuPercent: number; memoryPercent: number };

const NO_PRESSURE = { cpuPercent: 0, memoryPercent: 0 };

export interface HealthDeps {
  env: WorkerEnv;
  sampler?: Sampler;
  database: Database;
  audit: AuditWriter;
  log: Logger;
  startedAt: Date;
  live: Pick<LiveEmitter, 'emitHealth' | 'emitDegradation'>;
  duties: LeaderDuties;
}

/** Sampling and scoring of the host; the leader samples, every replica answers with the last sample. */
export function startHealth({ env, sampler, database, audit, log, startedAt, live, duties }: HealthDeps) {
  // Healing starts after the monitor (it reads the host's pressure) and hands its module table in then.
  let modules: () => readonly ModuleHealth[] = () => [];
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
    onSnapshot: (snapshot) => live.emitHealth(snapshot),
    onDegradationChange: (change) => live.emitDegradation(change),
    moduleHealth: () => modules(),
  });
  duties.add({ start: () => monitor.start(), stop: () => monitor.stop() });
  return {
    monitor,
    // Read on the guard's path: it hands out the sample itself, never a new object.
    hostPressure: (() => monitor.current()?.sample ?? NO_PRESSURE) as HostPressure,
    /** The modules' states count in the score. */
    scoreModules(source: () => readonly ModuleHealth[]): void {
      modules = source;
    },
    stop: () => monitor.stop(),
  };
}
