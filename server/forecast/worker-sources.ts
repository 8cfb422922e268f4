import { stat, statfs } from 'node:fs/promises';
import path from 'node:path';
import type { VigilConfig } from '@/lib/config/config-schema';
import type { Database } from '../db/client';
import { sqlitePathOf } from '../db/database-url';
import type { DefenseService } from '../defense';
import type { HealingService } from '../healing';
import type { HealthMonitor } from '../health/health-monitor';
import type { RecoveryService } from '../recovery';
import type { ForecastSources, MitigationActions } from './forecaster';

/** Listing the snapshot store reads every manifest: once every five minutes is plenty for an age in hours. */
const GOLDEN_CACHE_MS = 5 * 60_000;

async function sqliteSize(file: string): Promise<{ sizeBytes: number; freeBytes: number }> {
  let sizeBytes = 0;
  for (const suffix of ['', '-wal'])
    sizeBytes += await stat(file + suffix).then(
      (s) => s.size,
      () => 0,
    );
  const fs = await statfs(path.dirname(file));
  return { sizeBytes, freeBytes: fs.bavail * fs.bsize };
}

/** The newest off-site copy's age in hours and whether any repository's last check failed; null with none configured. */
async function offsiteFreshness(recovery: RecoveryService): Promise<{ newestCopyAgeHours: number | null; checkFailed: boolean } | null> {
  if (!recovery.offsite.configured) return null;
  const { copies, repositories } = await recovery.offsite.overview();
  const newest = copies.reduce<string | null>((latest, copy) => (latest === null || copy.copiedAt > latest ? copy.copiedAt : latest), null);
  return {
    newestCopyAgeHours: newest ? (Date.now() - Date.parse(newest)) / 3_600_000 : null,
    checkFailed: repositories.some((repo) => repo.lastCheck?.ok === false || (repo.lastError !== null && repo.lastError.at >= (repo.lastCheck?.at ?? ''))),
  };
}

export interface WorkerForecastDeps {
  database: Database;
  databaseUrl: string;
  monitor: HealthMonitor;
  healing: HealingService;
  defense: DefenseService;
  recovery: RecoveryService;
  config: () => VigilConfig;
}

/** Wires the forecaster to the other capabilities' public surfaces. */
export function workerForecastSources(deps: WorkerForecastDeps): { sources: ForecastSources; actions: MitigationActions } {
  let golden: { at: number; value: Awaited<ReturnType<ForecastSources['golden']>> } | null = null;
  const sources: ForecastSources = {
    health: () => deps.monitor.current(),
    modules: () => deps.healing.engine.list(),
    // The engine's own definitions: they cover modules added in the UI too, and a lookup is O(1) per module.
    moduleSettings: (name) => {
      const definition = deps.healing.engine.runtime(name)?.definition;
      return { maxAttempts: definition?.restartPolicy.maxAttempts ?? 5, latencyFactor: definition?.detection.latencyFactor ?? 2 };
    },
    incidents: async () => (await deps.healing.overview()).recentIncidents,
    // The feed alone: the overview would also copy every isolation in force (100,000 at scale) each cycle.
    threats: () => deps.defense.threats.recent(100).map((t) => ({ id: t.id, at: t.at, scenario: t.scenario, key: t.key })),
    database: async () => {
      const started = performance.now();
      // On SQLite the driver's connection: a round trip that does not load Prisma.
      if (deps.database.sqlite) deps.database.sqlite.prepare('SELECT 1').get();
      else await deps.database.prisma.$queryRawUnsafe('SELECT 1');
      const latencyMs = performance.now() - started;
      if (deps.database.provider !== 'sqlite') return { latencyMs, sizeBytes: null, freeBytes: null };
      return { latencyMs, ...(await sqliteSize(sqlitePathOf(deps.databaseUrl))) };
    },
    golden: async () => {
      if (golden && Date.now() - golden.at < GOLDEN_CACHE_MS) return golden.value;
      const overview = await deps.recovery.overview();
      const newest = overview.golden.newest;
      const value = {
        verifiedAgeHours: newest ? (Date.now() - Date.parse(newest.createdAt)) / 3_600_000 : null,
        maxAgeHours: overview.golden.maxAgeHours,
        offsite: await offsiteFreshness(deps.recovery),
      };
      golden = { at: Date.now(), value };
      return value;
    },
  };
  const actions: MitigationActions = {
    pruneSnapshots: async (actor) => {
      golden = null;
      return deps.recovery.prune({ dryRun: false, actor });
    },
    createGoldenSnapshot: async (actor) => {
      golden = null;
      const header = await deps.recovery.create({ tags: ['golden'], actor });
      return deps.recovery.verify({ ref: header.name, actor });
    },
    restartModule: ({ name, actor, reason }) => deps.healing.engine.restartNow(name, actor, reason),
  };
  return { sources, actions };
}
