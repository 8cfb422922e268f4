import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, rejectionOf, type TempDir } from '../../test-support';
import { mountSmallFilesystem, unmountSmallFilesystem } from '../../test-support/small-filesystem';
import { RecoveryError } from '../recovery-error';
import { readTree, recoveryHarness, writeTree, type ServiceHarness } from '../recovery-test-kit';
import { holdResticLock, initRepository, repoConfig, resticLocks } from '../../test-support/restic';
import { createLogger } from '../../log';
import { OffsiteScheduler } from './offsite-scheduler';
import { RecoveryService } from '../recovery-service';
import type { RecoveryProgress } from '@/lib/recovery/snapshot-schema';
import type { OffsiteCopyView } from '@/lib/recovery/offsite-views';

let tmp: TempDir;
let app: string;
let h: ServiceHarness;
const PASSWORD = 'correct horse battery staple';

const original = { 'config.yml': 'port: 8080\n', 'data/a.txt': 'alpha\n', 'data/b.txt': 'beta\n', 'data/same.txt': 'alpha\n' };

beforeEach(() => {
  tmp = makeTempDir('vigil-offsite-');
  app = tmp.join('app');
  writeTree(app, original);
  const local = repoConfig({ name: 'local', repository: tmp.join('restic-repo'), passwordFile: tmp.join('restic.pw') });
  initRepository(local, PASSWORD);
  h = recoveryHarness(tmp.join('data'), { sources: [{ name: 'app', path: app, exclude: [] }], offsite: [local] });
});
afterEach(() => tmp.remove());

const failure = (promise: Promise<unknown>) => rejectionOf(promise, RecoveryError);
const types = () => h.audit.map((e) => e.type);

describe('off-site copies in a local-path restic repository', () => {
  it('copies a snapshot, lists it, and restores it through the local restore after the local store is lost', async () => {
    await h.service.create({ name: 'base', tags: ['manual'], actor: 'alice' });
    const copy = await h.service.offsite.copy({ ref: 'base', to: 'local', actor: 'alice' });
    expect(copy).toMatchObject({ repo: 'local', snapshotName: 'base', resticId: expect.stringMatching(/^[0-9a-f]{8,64}$/) });
    const listed = await h.service.offsite.list({ from: 'local' });
    expect(listed.map((c) => c.snapshotName)).toEqual(['base']);

    rmSync(tmp.join('data', 'snapshots'), { recursive: true, force: true });
    writeFileSync(tmp.join('app', 'data', 'a.txt'), 'ransomware\n');
    const result = await h.service.offsite.restore({ ref: 'base', from: 'local', mirror: false, dryRun: false, actor: 'alice', reason: 'disk lost' });
    expect(result.outcome).toBe('restored');
    expect(readTree(app)).toEqual({ ...original, 'data/': '' });
    expect(types()).toEqual(['snapshot.created', 'snapshot.offsite_copied', 'snapshot.offsite_fetched', 'snapshot.restored']);
    // The password is never written anywhere Vigil writes.
    expect(readFileSync(tmp.join('data', 'offsite-state.json'), 'utf8')).not.toContain(PASSWORD);
    expect(JSON.stringify(h.audit)).not.toContain(PASSWORD);
  });

  it('restores into another directory and leaves the live tree alone', async () => {
    await h.service.create({ name: 'base', tags: ['manual'], actor: 'alice' });
    await h.service.offsite.copy({ ref: 'base', to: 'local', actor: 'alice' });
    writeFileSync(tmp.join('app', 'data', 'b.txt'), 'changed\n');
    const target = tmp.join('elsewhere');
    const result = await h.service.offsite.restore({
      ref: 'base',
      from: 'local',
      targetDir: target,
      mirror: false,
      dryRun: false,
      actor: 'alice',
      reason: 't',
    });
    expect(result.outcome).toBe('restored');
    expect(readFileSync(tmp.join('elsewhere', 'app', 'data', 'b.txt'), 'utf8')).toBe('beta\n');
    expect(readFileSync(tmp.join('app', 'data', 'b.txt'), 'utf8')).toBe('changed\n');
  });

  it('copies a golden snapshot at once, checks the repository with a restore test, and shows retention before applying it', async () => {
    h.setConfig({ offsite: [{ ...h.config.offsite[0], keep: { last: 1 } }] });
    await h.service.create({ name: 'g1', tags: ['golden'], actor: 'alice' });
    writeFileSync(tmp.join('app', 'data', 'a.txt'), 'alpha 2\n');
    await h.service.create({ name: 'g2', tags: ['golden'], actor: 'alice' });
    await h.service.create({ name: 'plain', tags: ['manual'], actor: 'alice' });
    expect((await h.service.offsite.list({ from: 'local' })).map((c) => c.snapshotName)).toEqual(['g2', 'g1']);

    const checked = await h.service.offsite.check({ repo: 'local', actor: 'scheduler' });
    expect(checked).toMatchObject({ ok: true, restoreTest: { snapshotName: 'g2', problems: 0 } });
    const overview = await h.service.offsite.overview();
    expect(overview.enabled).toBe(true);
    expect(overview.copies.find((c) => c.snapshotName === 'g2')?.verifyOk).toBe(true);
    expect(overview.repositories[0].lastCheck?.ok).toBe(true);

    const plan = await h.service.offsite.forget({ repo: 'local', dryRun: true, actor: 'alice' });
    expect(plan).toMatchObject({
      dryRun: true,
      remove: [expect.objectContaining({ snapshotName: 'g1' })],
      keep: [expect.objectContaining({ snapshotName: 'g2' })],
    });
    expect((await h.service.offsite.list({ from: 'local' })).length).toBe(2);
    const applied = await h.service.offsite.forget({ repo: 'local', dryRun: false, actor: 'alice' });
    expect(applied.remove.map((c) => c.snapshotName)).toEqual(['g1']);
    expect((await h.service.offsite.list({ from: 'local' })).map((c) => c.snapshotName)).toEqual(['g2']);
    expect(types()).toEqual(expect.arrayContaining(['snapshot.offsite_checked', 'snapshot.offsite_forgotten']));

    // The schedule copies what is not there yet.
    const outcomes = await h.service.offsite.copyMissing({ actor: 'scheduler' });
    expect(outcomes).toEqual([{ repo: 'local', copied: 2 }]);
  });
});

describe('the off-site schedule', () => {
  it('copies what is missing, checks with a restore test, then applies the retention', async () => {
    h.setConfig({ offsite: [{ ...h.config.offsite[0], keep: { last: 1 }, schedule: { copyEveryHours: 1, checkEveryHours: 24, readDataSubset: '10%' } }] });
    await h.service.create({ name: 's1', tags: ['manual'], actor: 'alice' });
    writeFileSync(tmp.join('app', 'data', 'a.txt'), 'alpha 2\n');
    await h.service.create({ name: 's2', tags: ['manual'], actor: 'alice' });
    const scheduler = new OffsiteScheduler(h.service.offsite, () => h.config.offsite, createLogger('offsite-test', 'silent'));
    await scheduler.tick();
    expect(types().filter((t) => t.startsWith('snapshot.offsite'))).toEqual([
      'snapshot.offsite_copied',
      'snapshot.offsite_copied',
      'snapshot.offsite_checked',
      'snapshot.offsite_forgotten',
    ]);
    expect((await h.service.offsite.list({ from: 'local' })).map((c) => c.snapshotName)).toEqual(['s2']);
    // Nothing is due an instant later.
    await scheduler.tick();
    expect(types().filter((t) => t.startsWith('snapshot.offsite')).length).toBe(4);
  }, 60_000);
});

describe('scheduled off-site work and an operator at the same time', () => {
  it("a scheduled copy gives way to an operator's copy: restic stops cleanly, nothing is held against the repository, the next tick goes on", async () => {
    // Random bytes neither compress nor deduplicate: restic is still uploading when the operator comes.
    writeFileSync(tmp.join('app', 'data', 'big.bin'), randomBytes(48 << 20));
    const repo = { ...h.config.offsite[0], schedule: { copyEveryHours: 1, checkEveryHours: 24, readDataSubset: '5%' } };
    const progress: RecoveryProgress[] = [];
    let operator: Promise<OffsiteCopyView> | null = null;
    const service = new RecoveryService({
      dataDir: tmp.join('data'),
      config: () => ({ ...h.config, offsite: [repo] }),
      state: null,
      audit: { append: async (event) => void h.audit.push(event) },
      searchPath: '/usr/local/bin:/usr/bin:/bin',
      onProgress: (update) => {
        progress.push(update);
        // restic reports bytes read: the scheduled copy is mid-upload, holding the store and restic's lock.
        if (!operator && update.operation === 'offsite-copy' && update.phase === 'upload' && update.bytesDone > 0)
          operator = service.offsite.copy({ ref: 'big', to: 'local', actor: 'alice' });
      },
    });
    await service.create({ name: 'big', tags: ['manual'], actor: 'alice' });
    const scheduler = new OffsiteScheduler(service.offsite, () => [repo], createLogger('offsite-test', 'silent'));
    await scheduler.tick();
    expect(operator, 'the scheduled copy was never seen uploading').not.toBeNull();
    expect((await operator!).snapshotName).toBe('big');

    const scheduled = progress.filter((p) => p.snapshot === 'pending to local');
    expect(scheduled.at(-1)).toMatchObject({ finished: true, ok: false, message: expect.stringContaining('gave way to offsite-copy big') });
    const mine = progress.filter((p) => p.snapshot === 'big' && p.operation === 'offsite-copy');
    expect(mine.find((p) => p.phase === 'queued')?.message).toMatch(/^waiting for offsite-copy pending to local \(pid \d+, since [\d:]+ UTC\) to finish$/);
    expect(mine.at(-1)).toMatchObject({ finished: true, ok: true });
    // Giving way is no failure of the repository: no failure audited, none recorded, and restic left no lock.
    expect(types().filter((t) => t.startsWith('snapshot.offsite'))).toEqual(['snapshot.offsite_copied']);
    expect((await service.offsite.overview()).repositories[0]).toMatchObject({ lastError: null, lastCheck: null });
    expect(resticLocks(repo)).toEqual([]);

    // The next tick finds nothing missing and runs the check it did not reach.
    await scheduler.tick();
    expect(types().filter((t) => t.startsWith('snapshot.offsite'))).toEqual(['snapshot.offsite_copied', 'snapshot.offsite_checked']);
  }, 120_000);

  it("a listing answers while the repository is locked exclusively by another restic; a copy then says it is locked, in the operator's words", async () => {
    await h.service.create({ name: 's1', tags: ['manual'], actor: 'alice' });
    await h.service.offsite.copy({ ref: 's1', to: 'local', actor: 'alice' });
    const holder = holdResticLock(h.config.offsite[0]);
    try {
      await holder.locked;
      expect((await h.service.offsite.list({ from: 'local' })).map((c) => c.snapshotName)).toEqual(['s1']);
      expect(await failure(h.service.offsite.copy({ ref: 's1', to: 'local', actor: 'alice' }))).toMatchObject({
        code: 'busy',
        message: expect.stringContaining('off-site repository local: another restic run holds its lock'),
      });
    } finally {
      await holder.release();
    }
  }, 60_000);
});

describe('off-site faults: a clear message, an audit event, and the restore target untouched', () => {
  it('a wrong password', async () => {
    await h.service.create({ name: 'base', tags: ['manual'], actor: 'alice' });
    await h.service.offsite.copy({ ref: 'base', to: 'local', actor: 'alice' });
    writeFileSync(tmp.join('restic.pw'), 'not the password\n');
    writeFileSync(tmp.join('app', 'data', 'a.txt'), 'live\n');
    const error = await failure(h.service.offsite.restore({ ref: 'base', from: 'local', mirror: false, dryRun: false, actor: 'alice', reason: 't' }));
    expect(error).toMatchObject({ code: 'offsite_password', message: expect.stringMatching(/off-site repository local: the password does not open it/) });
    expect(readFileSync(tmp.join('app', 'data', 'a.txt'), 'utf8')).toBe('live\n');
    expect(h.audit.at(-1)).toMatchObject({
      type: 'snapshot.offsite_fetch_failed',
      severity: 'high',
      details: expect.objectContaining({ code: 'offsite_password' }),
    });
    expect((await h.service.offsite.overview()).repositories[0].lastError?.message).toMatch(/password/);
  });

  it('an unreachable repository, and a password variable that is not set', async () => {
    h.setConfig({ offsite: [repoConfig({ name: 'gone', repository: tmp.join('no-such-repo'), passwordFile: tmp.join('restic.pw') })] });
    await h.service.create({ name: 'base', tags: ['manual'], actor: 'alice' });
    expect(await failure(h.service.offsite.copy({ ref: 'base', to: 'gone', actor: 'alice' }))).toMatchObject({
      code: 'offsite_unreachable',
      message: expect.stringMatching(/off-site repository gone: it cannot be reached/),
    });
    expect(h.audit.at(-1)).toMatchObject({ type: 'snapshot.offsite_copy_failed', severity: 'high' });
    h.setConfig({ offsite: [{ ...h.config.offsite[0], passwordFile: undefined, passwordEnv: 'VIGIL_TEST_UNSET_RESTIC_PASSWORD' }] });
    expect(await failure(h.service.offsite.copy({ ref: 'base', to: 'gone', actor: 'alice' }))).toMatchObject({
      code: 'offsite_password',
      message: expect.stringMatching(/VIGIL_TEST_UNSET_RESTIC_PASSWORD .* is not set/),
    });
    expect(await failure(h.service.offsite.copy({ ref: 'base', to: 'nope', actor: 'alice' }))).toMatchObject({
      code: 'not_found',
      message: expect.stringMatching(/configured: gone/),
    });
  });

  it('restic missing disables only the off-site copies', async () => {
    h.setConfig({ resticBinary: tmp.join('no-restic-here') });
    const header = await h.service.create({ name: 'g', tags: ['golden'], actor: 'alice' });
    expect(header.name).toBe('g');
    const overview = await h.service.offsite.overview();
    expect(overview).toMatchObject({ enabled: false, reason: expect.stringMatching(/restic program .* was not found; install the Debian package restic/) });
    expect(await failure(h.service.offsite.copy({ ref: 'g', to: 'local', actor: 'alice' }))).toMatchObject({ code: 'offsite_unavailable' });
    expect(types()).toEqual(['snapshot.created', 'snapshot.offsite_copy_failed', 'snapshot.offsite_copy_failed']);
  });

  it('a local store deleted and no copy there: the message says so and nothing changes', async () => {
    await h.service.create({ name: 'base', tags: ['manual'], actor: 'alice' });
    rmSync(tmp.join('data', 'snapshots'), { recursive: true, force: true });
    expect(await failure(h.service.offsite.copy({ ref: 'base', to: 'local', actor: 'alice' }))).toMatchObject({ code: 'not_found' });
    expect(await failure(h.service.offsite.restore({ ref: 'base', from: 'local', mirror: false, dryRun: false, actor: 'a', reason: 't' }))).toMatchObject({
      code: 'not_found',
      message: 'off-site repository local holds no copy of "base"',
    });
    expect(existsSync(tmp.join('app', 'data', 'a.txt'))).toBe(true);
  });

  it('a big snapshot into a repository that fills', async () => {
    // Random bytes do not compress or deduplicate: 6 MiB cannot fit a 4 MiB file system.
    writeTree(app, { 'big.bin': randomBytes(6 << 20).toString('latin1') });
    const mount = mountSmallFilesystem(tmp.join('small'), '4m');
    try {
      const repo = repoConfig({ name: 'small', repository: `${mount}/repo`, passwordFile: tmp.join('restic.pw') });
      initRepository(repo, PASSWORD);
      h.setConfig({ offsite: [repo] });
      await h.service.create({ name: 'big', tags: ['manual'], actor: 'alice' });
      expect(await failure(h.service.offsite.copy({ ref: 'big', to: 'small', actor: 'alice' }))).toMatchObject({
        code: 'offsite_full',
        message: expect.stringMatching(/off-site repository small: it is full/),
      });
      expect(h.audit.at(-1)).toMatchObject({ type: 'snapshot.offsite_copy_failed', severity: 'high' });
    } finally {
      unmountSmallFilesystem(mount);
    }
  });
});
