import type { AuditEventInput } from '@/lib/audit/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { snapshotsConfigSchema } from '@/lib/config/config-schema';
import type { SnapshotHeader } from '@/lib/recovery/snapshot-schema';
import { makeTempDir, silentLogger, type TempDir } from '../test-support';
import { dueWork, RecoveryScheduler } from './recovery-scheduler';
import { recoveryHarness, writeTree } from './recovery-test-kit';

const HOUR = 3_600_000;
const header = (name: string, tags: SnapshotHeader['tags'], createdAt: number, verifiedAt?: number): SnapshotHeader => ({
  id: name.padEnd(12, '0').slice(0, 12),
  name,
  tags,
  createdAt: new Date(createdAt).toISOString(),
  createdBy: 't',
  manifestHash: '0'.repeat(64),
  sources: [],
  files: 1,
  dirs: 1,
  bytes: 1,
  newBytes: 1,
  durationMs: 1,
  lastVerification: verifiedAt === undefined ? null : { at: new Date(verifiedAt).toISOString(), ok: true, files: 1, bytes: 1, problems: [] },
});

describe('dueWork', () => {
  const now = Date.parse('2026-11-20T12:00:00Z');
  const config = snapshotsConfigSchema.parse({ sources: [{ name: 'a', path: '/a' }], schedule: { everyMinutes: 60 }, verifyEveryHours: 24 });

  it('takes a scheduled snapshot when the newest scheduled one is older than the interval', () => {
    expect(dueWork(config, [], now).snapshot).toBe(true);
    expect(dueWork(config, [header('s', ['scheduled'], now - 30 * 60_000)], now).snapshot).toBe(false);
    expect(dueWork(config, [header('s', ['scheduled'], now - 61 * 60_000)], now).snapshot).toBe(true);
    expect(dueWork({ ...config, schedule: null }, [], now).snapshot).toBe(false);
  });

  it('re-verifies the newest golden and the newest snapshot when their verification is stale', () => {
    const snapshots = [
      header('newest', ['scheduled'], now - HOUR, now - HOUR),
      header('gold', ['golden'], now - 48 * HOUR, now - 25 * HOUR),
      header('old', [], now - 72 * HOUR),
    ];
    expect(dueWork(config, snapshots, now).verify).toEqual(['gold']);
  });
});

describe('RecoveryScheduler', () => {
  let tmp: TempDir;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.remove());

  it('takes the due snapshot, applies retention and verifies it', async () => {
    writeTree(tmp.join('src'), { a: '1' });
    const h = recoveryHarness(tmp.join('data'), {
      sources: [{ name: 'src', path: tmp.join('src'), exclude: [] }],
      schedule: { everyMinutes: 60, tag: 'golden' },
    });
    const scheduler = new RecoveryScheduler(h.service, () => h.config, silentLogger());
    await scheduler.tick();
    const { snapshots, golden } = await h.service.overview();
    expect(snapshots).toHaveLength(1);
    expect(snapshots[0]).toMatchObject({ tags: ['golden'], createdBy: 'scheduler', lastVerification: { ok: true } });
    expect(golden.stale).toBe(false);
    await scheduler.tick();
    expect((await h.service.overview()).snapshots).toHaveLength(1);
    await scheduler.stop();
  });

  it('records once that the newest verified golden snapshot passed its age limit', async () => {
    writeTree(tmp.join('src'), { a: '1' });
    const h = recoveryHarness(tmp.join('data'), {
      sources: [{ name: 'src', path: tmp.join('src'), exclude: [] }],
      schedule: { everyMinutes: 60, tag: 'golden' },
    });
    const recorded: AuditEventInput[] = [];
    const scheduler = new RecoveryScheduler(h.service, () => h.config, silentLogger(), { append: async (event) => void recorded.push(event) });
    await scheduler.tick();
    expect(recorded).toEqual([]);
    // A limit the snapshot just taken is already past (a few milliseconds).
    h.setConfig({ goldenMaxAgeHours: 1e-9 });
    await scheduler.tick();
    await scheduler.tick();
    expect(recorded.map((event) => [event.type, event.severity, event.module])).toEqual([['snapshot.golden_stale', 'high', 'recovery']]);
    await scheduler.stop();
  });
});
