import type { Db } from '../db/client';
import { prismaOf, sqliteOf, toSqliteDate, type Store, serializeSqliteWrite } from '../db/store';
import type { DegradationLevel } from '@/lib/health/degradation';
import type { SystemSample } from '@/lib/health/score';
import type { HealthPoint } from '@/lib/health/history-range';

export interface StoredSample {
  sample: SystemSample;
  score: number;
  degradation: DegradationLevel;
}

export async function insertHealthSamples(store: Store, samples: StoredSample[]): Promise<void> {
  if (samples.length === 0) return;
  const rows = samples.map(({ sample, score, degradation }) => ({
    at: new Date(sample.at),
    cpu: sample.cpuPercent,
    memory: sample.memoryPercent,
    load1: sample.load1,
    processes: sample.processes,
    threads: sample.threads,
    disks: JSON.stringify(sample.disks),
    score,
    degradation,
  }));
  const sqlite = sqliteOf(store);
  if (!sqlite) {
    await prismaOf(store).healthSample.createMany({ data: rows });
    return;
  }
  const insert = sqlite.prepare(
    'INSERT INTO "HealthSample" ("at", "cpu", "memory", "load1", "processes", "threads", "disks", "score", "degradation") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  await serializeSqliteWrite(
    sqlite,
    sqlite.transaction(() => {
      for (const r of rows) insert.run(toSqliteDate(r.at), r.cpu, r.memory, r.load1, r.processes, r.threads, r.disks, r.score, r.degradation);
    }),
  );
}

function maxDisk(disksJson: string): number {
  const disks = JSON.parse(disksJson) as SystemSample['disks'];
  return disks.reduce((max, d) => Math.max(max, d.usedPercent), 0);
}

/** Raw points for short windows, minute roll-ups for long ones: the chart never draws more than ~1,500 points. */
export async function readHealthHistory(db: Db, since: Date, until = new Date()): Promise<{ resolution: 'raw' | 'minute'; points: HealthPoint[] }> {
  const spanMs = until.getTime() - since.getTime();
  if (spanMs <= 2 * 3_600_000) {
    const rows = await db.healthSample.findMany({ where: { at: { gte: since, lte: until } }, orderBy: { at: 'asc' } });
    return {
      resolution: 'raw',
      points: rows.map((r) => ({
        at: r.at.toISOString(),
        cpu: r.cpu,
        memory: r.memory,
        disk: maxDisk(r.disks),
        load1: r.load1,
        score: r.score,
        degradation: r.degradation as DegradationLevel,
      })),
    };
  }
  const rows = await db.healthRollup.findMany({ where: { minute: { gte: since, lte: until } }, orderBy: { minute: 'asc' } });
  return {
    resolution: 'minute',
    points: rows.map((r) => ({
      at: r.minute.toISOString(),
      cpu: r.cpuAvg,
      memory: r.memoryAvg,
      disk: r.diskMax,
      load1: r.load1Avg,
      score: Math.round(r.scoreAvg),
      degradation: r.degradation as DegradationLevel,
    })),
  };
}

export interface MinuteRollup {
  minute: Date;
  samples: number;
  cpuAvg: number;
  cpuMax: number;
  memoryAvg: number;
  memoryMax: number;
  diskMax: number;
  load1Avg: number;
  scoreAvg: number;
  scoreMin: number;
  degradation: DegradationLevel;
}

const ROLLUP_COLUMNS = ['samples', 'cpuAvg', 'cpuMax', 'memoryAvg', 'memoryMax', 'diskMax', 'load1Avg', 'scoreAvg', 'scoreMin', 'degradation'] as const;

export async function upsertRollup(store: Store, rollup: MinuteRollup): Promise<void> {
  const sqlite = sqliteOf(store);
  if (!sqlite) {
    await prismaOf(store).healthRollup.upsert({ where: { minute: rollup.minute }, create: rollup, update: rollup });
    return;
  }
  const columns = ROLLUP_COLUMNS.map((c) => `"${c}"`).join(', ');
  const updates = ROLLUP_COLUMNS.map((c) => `"${c}" = excluded."${c}"`).join(', ');
  const upsert = sqlite.prepare(
    `INSERT INTO "HealthRollup" ("minute", ${columns}) VALUES (?${', ?'.repeat(ROLLUP_COLUMNS.length)}) ON CONFLICT ("minute") DO UPDATE SET ${updates}`,
  );
  await serializeSqliteWrite(sqlite, () => upsert.run(toSqliteDate(rollup.minute), ...ROLLUP_COLUMNS.map((c) => rollup[c])));
}

export async function pruneHealthHistory(store: Store, rawBefore: Date, rollupBefore: Date): Promise<{ samples: number; rollups: number }> {
  const sqlite = sqliteOf(store);
  if (sqlite) {
    return serializeSqliteWrite(sqlite, () => ({
      samples: sqlite.prepare('DELETE FROM "HealthSample" WHERE "at" < ?').run(toSqliteDate(rawBefore)).changes,
      rollups: sqlite.prepare('DELETE FROM "HealthRollup" WHERE "minute" < ?').run(toSqliteDate(rollupBefore)).changes,
    }));
  }
  const db = prismaOf(store);
  const samples = await db.healthSample.deleteMany({ where: { at: { lt: rawBefore } } });
  const rollups = await db.healthRollup.deleteMany({ where: { minute: { lt: rollupBefore } } });
  return { samples: samples.count, rollups: rollups.count };
}

/** The newest stored sample's verdict: what a standby reports, the leader being the one that samples. */
export async function latestHealthVerdict(db: Db): Promise<{ at: Date; score: number; degradation: string } | null> {
  return db.healthSample.findFirst({ orderBy: { at: 'desc' }, select: { at: true, score: true, degradation: true } });
}
