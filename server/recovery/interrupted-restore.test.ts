import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, rejectionOf, silentLogger, type TempDir } from '../test-support';
import { RecoveryError } from './recovery-error';
import { RecoveryScheduler } from './recovery-scheduler';
import { recoveryHarness, treeDigest, writeTree, type ServiceHarness } from './recovery-test-kit';
import { journalPath } from './restore-journal';

let tmp: TempDir;
let app: string;
let h: ServiceHarness;
let store: string;

beforeEach(() => {
  tmp = makeTempDir('vigil-interrupted-');
  app = tmp.join('app');
  writeTree(app, { 'config.yml': 'port: 8080\n', 'data/a.txt': 'a', 'data/b.txt': 'b' });
  h = recoveryHarness(tmp.join('data'), { sources: [{ name: 'app', path: app, exclude: [] }] });
  store = tmp.join('data', 'snapshots');
});
afterEach(() => tmp.remove());

const restore = (extra: { targetDir?: string } = {}) => h.service.restore({ ref: 's', mirror: true, dryRun: false, actor: 'alice', reason: 'test', ...extra });
const stagingIn = (dir: string) => readdirSync(dir).filter((name) => name.startsWith('.vigil-restore-'));

/**
 * The files a restore killed during its stop hook leaves behind (journal and staging area),
 * captured by a stop hook that copies them aside and then fails, and put back afterwards.
 */
async function killedRestore(): Promise<{ damaged: string[] }> {
  await h.service.create({ name: 's', tags: [], actor: 'a' });
  writeFileSync(path.join(app, 'config.yml'), 'port: 1\n');
  writeFileSync(path.join(app, 'extra.txt'), 'added later');
  const saved = tmp.join('saved');
  mkdirSync(saved);
  const hook = tmp.join('capture.sh');
  writeFileSync(hook, `#!/bin/sh\ncp '${journalPath(store)}' '${saved}/journal.json'\ncp -a '${app}'/.vigil-restore-* '${saved}/'\nexit 1\n`);
  chmodSync(hook, 0o755);
  h.setConfig({ hooks: { stop: [hook], timeoutSeconds: 10 } });
  await rejectionOf(restore(), RecoveryError);
  const damaged = treeDigest(app);
  h.setConfig({ hooks: { timeoutSeconds: 10 } });
  cpSync(path.join(saved, 'journal.json'), journalPath(store));
  for (const name of stagingIn(saved)) cpSync(path.join(saved, name), path.join(app, name), { recursive: true });
  return { damaged };
}

const editJournal = (edit: (journal: Record<string, unknown>) => unknown) => {
  const journal = JSON.parse(readFileSync(journalPath(store), 'utf8')) as Record<string, unknown>;
  writeFileSync(journalPath(store), typeof edit(journal) === 'string' ? (edit(journal) as string) : JSON.stringify(edit(journal) ?? journal));
};

describe('the restore journal', () => {
  it('a corrupt, foreign or out-of-bounds journal is refused by every operation, and nothing changes', async () => {
    await killedRestore();
    const victim = tmp.join('victim.txt');
    writeFileSync(victim, 'outside every root');
    const valid = readFileSync(journalPath(store), 'utf8');
    const variants: [string, string, RegExp][] = [
      ['garbage', '{"version": 2, "ops": [', /not valid JSON/],
      ['older format', JSON.stringify({ ...JSON.parse(valid), version: 1 }), /version 1, this Vigil writes version 2/],
      ['foreign', JSON.stringify({ hello: 'world' }), /version undefined/],
      [
        'op outside the roots',
        JSON.stringify({ ...JSON.parse(valid), ops: [{ kind: 'remove', dest: victim, backup: tmp.join('victim.bak') }] }),
        /victim\.txt lies outside every restore root/,
      ],
    ];
    for (const [label, content, why] of variants) {
      writeFileSync(journalPath(store), content);
      const before = treeDigest(tmp.path);
      for (const attempt of [
        () => h.service.settle({ action: 'rollback', actor: 'a', reason: label }),
        () => h.service.settle({ action: 'resume', actor: 'a', reason: label }),
        () => restore(),
        () => h.service.create({ name: 'n', tags: [], actor: 'a' }),
      ]) {
        const error = await rejectionOf(attempt(), RecoveryError);
        expect(error.code, label).toBe('corrupt');
        expect(error.message, label).toMatch(why);
        expect(error.message, label).toContain('nothing was changed');
      }
      expect((await h.service.overview()).pendingRestore, label).toMatchObject({ phase: 'unreadable', problem: expect.stringMatching(why) });
      expect(treeDigest(tmp.path), label).toEqual(before);
      expect(readFileSync(victim, 'utf8')).toBe('outside every root');
    }
  });
});

describe('an interrupted restore', () => {
  it('killed while staging changed nothing live: settled at start, its staging removed', async () => {
    const { damaged } = await killedRestore();
    editJournal((journal) => ({ ...journal, phase: 'staging' }));
    expect(stagingIn(app)).toHaveLength(1);
    const scheduler = new RecoveryScheduler(h.service, () => h.config, silentLogger());
    scheduler.start();
    await scheduler.stop();
    expect(existsSync(journalPath(store))).toBe(false);
    expect(stagingIn(app)).toEqual([]);
    expect(treeDigest(app)).toEqual(damaged);
    expect((await h.service.overview()).pendingRestore).toBeNull();
  });

  it('interrupted past staging: reported at start (audit and status), left for an operator', async () => {
    const { damaged } = await killedRestore();
    const scheduler = new RecoveryScheduler(h.service, () => h.config, silentLogger());
    scheduler.start();
    await scheduler.stop();
    expect(h.audit.at(-1)).toMatchObject({ type: 'snapshot.restore_interrupted', severity: 'high', details: { phase: 'staged' } });
    expect((await h.service.overview()).pendingRestore).toMatchObject({ snapshotName: 's', phase: 'staged' });
    expect(existsSync(journalPath(store))).toBe(true);
    expect(stagingIn(app)).toHaveLength(1);
    const settled = await h.service.settle({ action: 'rollback', actor: 'a', reason: 'operator' });
    expect(settled.outcome).toBe('rolled-back');
    expect(treeDigest(app)).toEqual(damaged);
  });

  it('staging left by a restore killed long ago is removed by the next successful restore', async () => {
    await h.service.create({ name: 's', tags: [], actor: 'a' });
    const target = tmp.join('target');
    await restore({ targetDir: target });
    const stale = ['.vigil-restore-0b9f3a52-1c2d-4e5f-8a9b-0c1d2e3f4a5b', '.vigil-restore-0b9f3a52-1c2d-4e5f-8a9b-0c1d2e3f4a5c-app'];
    writeTree(app, { [`${stale[0]}/s0`]: 'half a copy' });
    writeTree(path.join(target, 'app'), { [`${stale[0]}/s1`]: 'half a copy' });
    writeFileSync(path.join(app, 'config.yml'), 'changed');
    expect((await restore()).outcome).toBe('restored');
    expect((await restore({ targetDir: target })).outcome).toBe('restored');
    expect(stagingIn(app)).toEqual([]);
    expect(stagingIn(path.join(target, 'app'))).toEqual([]);
  });
});
