import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sqlitePathOf } from '../db/database-url';
import { computeHealthScore } from '@/lib/health/score';
import type { DegradationChange, HealthSnapshot } from '@/lib/health/types';
import { AuditWriter, verifyStoredChain } from '../audit';
import { writeSetting, readSetting } from '../queries/settings';
import { createMigratedDatabase, FixedSampler, loadForScore, makeSample, readWholeChain, silentLogger, waitFor, type MigratedDatabase } from '../test-support';
import { HealthMonitor, type HealthMonitorOptions } from './health-monitor';
import { minuteOf } from './minute-rollup';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('loadForScore (test helper)', () => {
  it('produces a sample that scores exactly the asked score, for every score', () => {
    for (let score = 0; score <= 100; score++) {
      expect(computeHealthScore(makeSample(loadForScore(score))).score).toBe(score);
    }
  });
});

describe('HealthMonitor with a fixed sampler', () => {
  let db: MigratedDatabase;
  let audit: AuditWriter;
  let sampler: FixedSampler;
  let monitor: HealthMonitor;
  let snapshots: HealthSnapshot[];
  let changes: DegradationChange[];
  let clock: Date;

  /** Base time: the start of the current minute minus 10 minutes, well inside every retention. */
  function minutesFromBase(minutes: number, seconds = 0): Date {
    const base = minuteOf(new Date(Date.now() - 10 * 60_000).toISOString());
    return new Date(base.getTime() + minutes * 60_000 + seconds * 1000);
  }

  function newMonitor(options: Partial<HealthMonitorOptions> = {}): HealthMonitor {
    return new HealthMonitor({
      sampler,
      database: db.database,
      audit,
      log: silentLogger(),
      intervalMs: HOUR,
      hysteresis: 3,
      confirmSamples: 2,
      rawRetentionMs: DAY,
      rollupRetentionMs: 30 * DAY,
      startedAt: new Date('2025-01-01T00:00:00Z'),
      onSnapshot: (s) => snapshots.push(s),
      onDegradationChange: (c) => changes.push(c),
      ...options,
    });
  }

  /** One sample at the given load and time, through the real tick. */
  async function tickAt(score: number, at: Date = clock): Promise<HealthSnapshot> {
    sampler.scoreWillBe(score).at(at);
    await monitor.tick();
    clock = new Date(at.getTime() + 5000);
    return monitor.current()!;
  }

  async function degradationEvents() {
    return (await readWholeChain(db.database)).filter((e) => e.type === 'health.degradation_changed');
  }

  beforeEach(async () => {
    db = await createMigratedDatabase('sqlite');
    audit = new AuditWriter({ database: db.database, spoolFile: db.dir.join('spool.ndjson'), log: silentLogger() });
    sampler = new FixedSampler();
    snapshots = [];
    changes = [];
    clock = minutesFromBase(0, 1);
    monitor = newMonitor();
  });

  afterEach(async () => {
    await monitor.stop();
    await audit.close();
    await db.destroy();
  });

  it('scores the sample and publishes a snapshot', async () => {
    const snapshot = await tickAt(72);
    expect(snapshot).toMatchObject({
      score: 72,
      degradation: 'NORMAL',
      pinnedDegradation: null,
      disabledFeatures: [],
      workerStartedAt: '2025-01-01T00:00:00.000Z',
      database: { ok: true, pendingEvents: 0, lastError: null },
    });
    expect(snapshot.deductions).toEqual([{ factor: 'cpu', points: 28, detail: 'CPU at 98 %' }]);
    expect(snapshot.sample.cpuPercent).toBe(98);
    expect(snapshots).toEqual([snapshot]);
    expect(monitor.currentLevel()).toBe('NORMAL');
  });

  it('changes degradation only after confirmSamples consecutive samples, and audits it once', async () => {
    await tickAt(100);
    expect((await tickAt(60)).degradation).toBe('NORMAL'); // one spike is not enough
    expect(await degradationEvents()).toEqual([]);
    expect((await tickAt(60)).degradation).toBe('LEVEL_2');
    expect((await tickAt(60)).degradation).toBe('LEVEL_2');

    const events = await degradationEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      severity: 'warning',
      actor: 'system',
      action: 'degrade NORMAL → LEVEL_2',
      module: 'host',
      method: 'health monitor',
      reason: expect.stringMatching(/^score 60: CPU at 100 %; memory at \d+ %$/),
      details: {
        from: 'NORMAL',
        to: 'LEVEL_2',
        score: 60,
        deductions: [
          { factor: 'cpu', points: 30 },
          { factor: 'memory', points: 10 },
        ],
      },
    });
    expect(changes).toEqual([expect.objectContaining({ from: 'NORMAL', to: 'LEVEL_2', score: 60 })]);
    expect(await readSetting(db.database.prisma, 'health.degradation')).toBe('LEVEL_2');
    expect(monitor.current()!.disabledFeatures).toEqual(['analytics', 'background_tasks', 'ai_inference', 'web_search']);
  });

  it('does not count interrupted runs toward confirmation', async () => {
    await tickAt(60);
    await tickAt(100);
    await tickAt(60);
    expect(monitor.currentLevel()).toBe('NORMAL');
    await tickAt(60);
    expect(monitor.currentLevel()).toBe('LEVEL_2');
  });

  it('applies a change at once with confirmSamples = 1 and reaches EMERGENCY with a critical event', async () => {
    monitor = newMonitor({ confirmSamples: 1 });
    expect((await tickAt(20)).degradation).toBe('EMERGENCY');
    const [event] = await degradationEvents();
    expect(event).toMatchObject({ severity: 'critical', details: { from: 'NORMAL', to: 'EMERGENCY', score: 20 } });
  });

  it('recovers only once the score clears the better band by the hysteresis', async () => {
    monitor = newMonitor({ confirmSamples: 1, hysteresis: 3 });
    await tickAt(100);
    await tickAt(60);
    expect(monitor.currentLevel()).toBe('LEVEL_2');
    // 66 is inside LEVEL_1's band but not 3 points above its floor (65): hold LEVEL_2.
    expect((await tickAt(66)).degradation).toBe('LEVEL_2');
    expect((await tickAt(67)).degradation).toBe('LEVEL_2');
    expect((await tickAt(68)).degradation).toBe('LEVEL_1');
    // 81 is NORMAL's band but below 80 + 3.
    expect((await tickAt(81)).degradation).toBe('LEVEL_1');
    expect((await tickAt(83)).degradation).toBe('NORMAL');

    const events = await degradationEvents();
    expect(events.map((e) => `${(e.details as { from: string }).from}→${(e.details as { to: string }).to}`)).toEqual([
      'NORMAL→LEVEL_2',
      'LEVEL_2→LEVEL_1',
      'LEVEL_1→NORMAL',
    ]);
    expect(events[1]).toMatchObject({ severity: 'notice', action: 'recover LEVEL_2 → LEVEL_1', reason: 'score 68, recovered' });
    expect(changes.map((c) => c.to)).toEqual(['LEVEL_2', 'LEVEL_1', 'NORMAL']);
  });

  it('stores every sample as a HealthSample row', async () => {
    const scores = [100, 90, 75, 60];
    for (const score of scores) await tickAt(score);
    const rows = await db.database.prisma.healthSample.findMany({ orderBy: { at: 'asc' } });
    expect(rows.map((r) => r.score)).toEqual(scores);
    expect(rows.map((r) => r.at.toISOString())).toEqual(sampler.taken.map((s) => s.at));
    expect(rows[2]).toMatchObject({ cpu: 95, load1: 0, processes: 100, threads: 400, degradation: 'NORMAL' });
    expect(JSON.parse(rows[0].disks)).toEqual([expect.objectContaining({ mount: '/', usedPercent: 30 })]);
  });

  it('writes a minute roll-up when the minute changes, and the last one on stop()', async () => {
    monitor = newMonitor({ confirmSamples: 1 });
    await tickAt(100, minutesFromBase(0, 5));
    await tickAt(80, minutesFromBase(0, 25));
    await tickAt(60, minutesFromBase(0, 45));
    expect(await db.database.prisma.healthRollup.count()).toBe(0);
    await tickAt(90, minutesFromBase(1, 5));
    const [first] = await db.database.prisma.healthRollup.findMany();
    expect(first).toMatchObject({
      minute: minutesFromBase(0),
      samples: 3,
      cpuMax: 100,
      scoreAvg: 80,
      scoreMin: 60,
      degradation: 'LEVEL_2',
      diskMax: 30,
    });
    expect(first.cpuAvg).toBe(66.67); // (10 + 90 + 100) / 3, rounded to 2 places

    await tickAt(95, minutesFromBase(1, 35));
    await monitor.stop();
    const rollups = await db.database.prisma.healthRollup.findMany({ orderBy: { minute: 'asc' } });
    expect(rollups.map((r) => [r.minute.getTime(), r.samples, r.scoreAvg])).toEqual([
      [minutesFromBase(0).getTime(), 3, 80],
      [minutesFromBase(1).getTime(), 2, 92.5],
    ]);
  });

  it('prunes samples and roll-ups past their retention', async () => {
    const now = Date.now();
    const prisma = db.database.prisma;
    const oldSample = { cpu: 1, memory: 1, load1: 0, processes: 1, threads: 1, disks: '[]', score: 100, degradation: 'NORMAL' };
    await prisma.healthSample.createMany({
      data: [
        { ...oldSample, at: new Date(now - 3 * HOUR) },
        { ...oldSample, at: new Date(now - 30 * 60_000) },
      ],
    });
    const rollup = {
      samples: 1,
      cpuAvg: 1,
      cpuMax: 1,
      memoryAvg: 1,
      memoryMax: 1,
      diskMax: 1,
      load1Avg: 0,
      scoreAvg: 100,
      scoreMin: 100,
      degradation: 'NORMAL',
    };
    await prisma.healthRollup.createMany({
      data: [
        { ...rollup, minute: minuteOf(new Date(now - 8 * DAY).toISOString()) },
        { ...rollup, minute: minuteOf(new Date(now - 2 * DAY).toISOString()) },
      ],
    });

    monitor = newMonitor({ rawRetentionMs: HOUR, rollupRetentionMs: 7 * DAY });
    await tickAt(100, new Date(now));
    const samples = await prisma.healthSample.findMany({ orderBy: { at: 'asc' } });
    expect(samples.map((s) => s.at.getTime())).toEqual([now - 30 * 60_000, now]);
    const rollups = await prisma.healthRollup.findMany();
    expect(rollups.map((r) => r.minute.getTime())).toEqual([minuteOf(new Date(now - 2 * DAY).toISOString()).getTime()]);
  });

  it('restores the last level and an operator pin from settings at start', async () => {
    await writeSetting(db.database.prisma, 'health.degradation', 'LEVEL_1');
    await writeSetting(db.database.prisma, 'health.pinnedDegradation', { level: 'LEVEL_3', actor: 'carol', reason: 'incident', at: new Date().toISOString() });
    monitor = newMonitor();
    sampler.scoreWillBe(70);
    await monitor.start();
    expect(monitor.current()).toMatchObject({ degradation: 'LEVEL_3', pinnedDegradation: 'LEVEL_3', score: 70 });
    await monitor.setPin(null, 'carol', 'incident over');
    // The computed level (LEVEL_1, restored) applies again once the pin is gone.
    expect(monitor.current()).toMatchObject({ degradation: 'LEVEL_1', pinnedDegradation: null });
    const events = await degradationEvents();
    expect(events.at(-1)).toMatchObject({ details: { from: 'LEVEL_3', to: 'LEVEL_1' } });
  });

  it('a pin below the computed level does not mask a worse computed level', async () => {
    monitor = newMonitor({ confirmSamples: 1 });
    await monitor.setPin('LEVEL_1', 'dave', 'precaution');
    expect(monitor.currentLevel()).toBe('LEVEL_1');
    await tickAt(40);
    expect(monitor.current()).toMatchObject({ degradation: 'LEVEL_3', pinnedDegradation: 'LEVEL_1' });
    const last = (await degradationEvents()).at(-1)!;
    expect(last.reason).toMatch(/^score 40/);
  });

  it('buffers samples while the database is locked and stores them all once it is back', async () => {
    const impatient = await db.openAnother({ busyTimeoutMs: 30 });
    monitor = newMonitor({ database: impatient });
    await tickAt(100);
    const lock = new BetterSqlite3(sqlitePathOf(db.url));
    lock.exec('BEGIN EXCLUSIVE');
    try {
      const during = await tickAt(100);
      expect(during.database).toEqual({ ok: false, pendingEvents: 0, lastError: 'health samples cannot be stored' });
      await tickAt(100);
    } finally {
      lock.exec('COMMIT');
      lock.close();
    }
    const after = await tickAt(100);
    expect(after.database).toEqual({ ok: true, pendingEvents: 0, lastError: null });
    const rows = await db.database.prisma.healthSample.findMany({ orderBy: { at: 'asc' } });
    expect(rows.map((r) => r.at.toISOString())).toEqual(sampler.taken.map((s) => s.at));
  });

  it('shares one cycle between overlapping tick() calls', async () => {
    await Promise.all([monitor.tick(), monitor.tick(), monitor.tick()]);
    expect(sampler.taken).toHaveLength(1);
    expect(await db.database.prisma.healthSample.count()).toBe(1);
  });

  it('survives a sampler that throws and keeps sampling afterwards', async () => {
    let fail = true;
    const flaky = {
      sample: async () => {
        if (fail) throw new Error('sensor gone');
        return makeSample({}, new Date());
      },
    };
    monitor = newMonitor({ sampler: flaky });
    await monitor.tick();
    expect(monitor.current()).toBeNull();
    fail = false;
    await monitor.tick();
    expect(monitor.current()).toMatchObject({ score: 100 });
  });

  it('samples on its own timer after start()', async () => {
    // Only the interval is faked: the database and the audit writer keep their real timers.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      monitor = newMonitor({ intervalMs: 40 });
      await monitor.start();
      expect(snapshots).toHaveLength(1);
      for (let beat = 1; beat <= 3; beat++) {
        vi.advanceTimersByTime(40);
        await waitFor(() => snapshots.length === 1 + beat, { what: `the cycle of beat ${beat}` });
      }
      expect(sampler.taken).toHaveLength(4);
      await monitor.stop();
      vi.advanceTimersByTime(400);
      await monitor.stop();
      expect(sampler.taken).toHaveLength(4); // stopped means stopped
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps the chain valid through all of this', async () => {
    monitor = newMonitor({ confirmSamples: 1 });
    for (const score of [100, 40, 90, 10, 95]) await tickAt(score);
    expect((await verifyStoredChain(db.database.prisma)).ok).toBe(true);
    expect((await degradationEvents()).length).toBe(4);
  });
});
