import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigratedDatabase, makeSample, PROVIDERS, type MigratedDatabase } from '../test-support';
import { insertHealthSamples, pruneHealthHistory, readHealthHistory, upsertRollup, type MinuteRollup } from './health';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function rollup(minute: Date, scoreAvg: number): MinuteRollup {
  return {
    minute,
    samples: 12,
    cpuAvg: 20,
    cpuMax: 40,
    memoryAvg: 30,
    memoryMax: 35,
    diskMax: 55,
    load1Avg: 0.5,
    scoreAvg,
    scoreMin: Math.floor(scoreAvg) - 5,
    degradation: 'NORMAL',
  };
}

describe.each(PROVIDERS)('health history queries on %s', (provider) => {
  let db: MigratedDatabase;
  const now = new Date(Math.floor(Date.now() / MINUTE) * MINUTE);

  beforeAll(async () => {
    db = await createMigratedDatabase(provider);
    const prisma = db.database.prisma;
    await insertHealthSamples(prisma, []);
    await insertHealthSamples(prisma, [
      { sample: makeSample({ cpuPercent: 12.5, diskPercent: 40 }, new Date(now.getTime() - 3 * HOUR)), score: 100, degradation: 'NORMAL' },
      { sample: makeSample({ cpuPercent: 95, diskPercent: 81 }, new Date(now.getTime() - 30 * MINUTE)), score: 74, degradation: 'LEVEL_1' },
      { sample: makeSample({ cpuPercent: 50, memoryPercent: 60, load1: 1.5 }, new Date(now.getTime() - 10 * MINUTE)), score: 100, degradation: 'NORMAL' },
    ]);
    for (const [ago, score] of [
      [40 * 24 * HOUR, 90],
      [5 * HOUR, 80.4],
      [3 * HOUR, 70.6],
    ] as const)
      await upsertRollup(prisma, rollup(new Date(now.getTime() - ago), score));
  });

  afterAll(async () => {
    await db?.destroy();
  });

  it('reads raw samples for a window of two hours or less, oldest first, disk as the fullest mount', async () => {
    const history = await readHealthHistory(db.database.prisma, new Date(now.getTime() - HOUR), now);
    expect(history.resolution).toBe('raw');
    expect(history.points).toEqual([
      { at: new Date(now.getTime() - 30 * MINUTE).toISOString(), cpu: 95, memory: 20, disk: 81, load1: 0, score: 74, degradation: 'LEVEL_1' },
      { at: new Date(now.getTime() - 10 * MINUTE).toISOString(), cpu: 50, memory: 60, disk: 30, load1: 1.5, score: 100, degradation: 'NORMAL' },
    ]);
  });

  it('reads minute roll-ups for longer windows, with the score rounded', async () => {
    const history = await readHealthHistory(db.database.prisma, new Date(now.getTime() - 24 * HOUR), now);
    expect(history.resolution).toBe('minute');
    expect(history.points.map((p) => [p.at, p.score, p.cpu, p.disk])).toEqual([
      [new Date(now.getTime() - 5 * HOUR).toISOString(), 80, 20, 55],
      [new Date(now.getTime() - 3 * HOUR).toISOString(), 71, 20, 55],
    ]);
  });

  it('upserts a roll-up for the same minute instead of duplicating it', async () => {
    const minute = new Date(now.getTime() - 5 * HOUR);
    await upsertRollup(db.database.prisma, { ...rollup(minute, 60), degradation: 'LEVEL_2' });
    const rows = await db.database.prisma.healthRollup.findMany({ where: { minute } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ scoreAvg: 60, degradation: 'LEVEL_2' });
  });

  it('prunes what is older than each cut-off and says how much', async () => {
    const result = await pruneHealthHistory(db.database.prisma, new Date(now.getTime() - HOUR), new Date(now.getTime() - 30 * 24 * HOUR));
    expect(result).toEqual({ samples: 1, rollups: 1 });
    expect(await db.database.prisma.healthSample.count()).toBe(2);
    expect(await db.database.prisma.healthRollup.count()).toBe(2);
    expect(await pruneHealthHistory(db.database.prisma, new Date(now.getTime() - HOUR), new Date(now.getTime() - 30 * 24 * HOUR))).toEqual({
      samples: 0,
      rollups: 0,
    });
  });
});
