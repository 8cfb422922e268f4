import { chmodSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ManifestEntry } from '@/lib/recovery/snapshot-schema';
import { makeTempDir, rejectionOf, type TempDir } from '../test-support';
import { RecoveryError } from './recovery-error';
import { recoveryHarness, readTree, treeDigest, writeTree, type ServiceHarness } from './recovery-test-kit';

/**
 * Crafted snapshots and a hostile file system against a restore: whatever happens, nothing
 * outside the restore target changes. `world` holds the target, a sibling `outside` directory
 * with files an attacker would like to overwrite, chmod or delete, and a `bystander` file in
 * the target's parent.
 */
let tmp: TempDir;
let h: ServiceHarness;
let world: string;
let target: string;
let outside: string;
let app: string;

beforeEach(() => {
  tmp = makeTempDir('vigil-attack-');
  world = tmp.join('world');
  target = path.join(world, 'target');
  outside = path.join(world, 'outside');
  app = tmp.join('app');
  writeTree(outside, { 'secret.txt': 'do not touch', 'deep/keep.txt': 'keep me' });
  chmodSync(outside, 0o750);
  writeFileSync(path.join(world, 'bystander.txt'), 'next to the target');
  mkdirSync(target);
  writeTree(app, { 'config.yml': 'port: 8080\n', 'data/big.bin': 'x'.repeat(2 << 20), 'data/small.txt': 'small' });
  h = recoveryHarness(tmp.join('data'), { sources: [{ name: 'app', path: app, exclude: [] }] });
});
afterEach(() => tmp.remove());

const restoreInto = (ref: string, extra: { mirror?: boolean; targetDir?: string } = {}) =>
  h.service.restore({ ref, targetDir: extra.targetDir ?? target, mirror: extra.mirror ?? false, dryRun: false, actor: 'alice', reason: 'attack' });

/** Stores a snapshot whose manifest is the real one with `entries` added (or replaced). */
async function craft(
  name: string,
  change: { entries?: (entries: ManifestEntry[]) => ManifestEntry[]; sources?: { name: string; path: string; exclude: string[] }[] },
) {
  await h.service.create({ name: `${name}-base`, tags: [], actor: 'a' });
  const store = await h.service.store();
  const header = await store.find(`${name}-base`);
  const manifest = await store.readManifest(header.manifestHash);
  const manifestHash = await store.writeManifest({
    ...manifest,
    sources: change.sources ?? manifest.sources,
    entries: (change.entries ?? ((e) => e))(manifest.entries),
  });
  await store.writeHeader({ ...header, id: `${header.id.slice(0, 8)}evil`, name, manifestHash });
  return manifest;
}

const someBlob = (entries: ManifestEntry[]) => entries.find((e): e is Extract<ManifestEntry, { type: 'file' }> => e.type === 'file')!;
const file = (entryPath: string, entries: ManifestEntry[]): ManifestEntry => ({ ...someBlob(entries), path: entryPath });
const link = (entryPath: string, linkTarget: string): ManifestEntry => ({ type: 'symlink', path: entryPath, mode: 0o777, mtimeMs: 0, target: linkTarget });
const dir = (entryPath: string): ManifestEntry => ({ type: 'dir', path: entryPath, mode: 0o755, mtimeMs: 0 });

/** Runs the restore, expects it refused as unsafe, and expects the whole world unchanged. */
async function expectRefusedUnchanged(run: () => Promise<unknown>, mentions: string | RegExp) {
  const before = treeDigest(world);
  const error = await rejectionOf(run(), RecoveryError);
  expect(error.code).toBe('unsafe_path');
  expect(error.message).toMatch(mentions);
  expect(treeDigest(world)).toEqual(before);
  return error;
}

describe('a crafted manifest never writes outside the target', () => {
  it('a chain of relative symlinks that each look inside, then a file beneath the last', async () => {
    await craft('chain', {
      entries: (e) => [...e, dir('app/d'), link('app/d/up', '..'), link('app/esc', 'd/up/..'), link('app/esc2', 'esc/..'), file('app/esc2/X', e)],
    });
    await expectRefusedUnchanged(() => restoreInto('chain'), /app\/esc/);
  });

  it('the same chain without the file: a symlink whose resolution in the restored tree escapes', async () => {
    await craft('links', { entries: (e) => [...e, dir('app/d'), link('app/d/up', '..'), link('app/esc', 'd/up/..')] });
    await expectRefusedUnchanged(() => restoreInto('links'), /"app\/esc" is a symlink pointing outside/);
  });

  it('a file beneath a symlink that points inside is refused too: entries sit in directories only', async () => {
    await craft('under-link', { entries: (e) => [...e, link('app/l', 'data'), file('app/l/X', e)] });
    await expectRefusedUnchanged(() => restoreInto('under-link'), /"app\/l\/X" lies under "app\/l"/);
  });

  it("a source named .. with --mirror does not empty the target's parent", async () => {
    await craft('dotdot', { sources: [{ name: '..', path: app, exclude: [] }], entries: (e) => [dir('..'), file('../config.yml', e)] });
    await expectRefusedUnchanged(() => restoreInto('dotdot', { mirror: true }), /source name ".." has a ".." component/);
  });

  for (const [label, entryPath] of [
    ['a .. component', 'app/../../outside/secret.txt'],
    ['an absolute path', '/etc/evil'],
    ['a NUL byte', 'app/evil\0.txt'],
    ['an empty component', 'app//evil'],
  ] as const) {
    it(`an entry named with ${label}`, async () => {
      await craft('bad-name', { entries: (e) => [...e, file(entryPath, e)] });
      await expectRefusedUnchanged(() => restoreInto('bad-name'), /manifest entry/);
    });
  }

  it('absolute and outward symlink targets', async () => {
    for (const [name, linkTarget] of [
      ['abs', path.join(outside, 'secret.txt')],
      ['up', '../../outside/secret.txt'],
    ]) {
      await craft(name, { entries: (e) => [...e, link(`app/${name}`, linkTarget)] });
      await expectRefusedUnchanged(() => restoreInto(name), /pointing outside/);
    }
  });
});

describe('a hostile file system at the target', () => {
  it('a target that is itself a symlink is refused, naming the real directory to use', async () => {
    await h.service.create({ name: 's', tags: [], actor: 'a' });
    const linkToOutside = path.join(world, 'link-to-outside');
    symlinkSync(outside, linkToOutside);
    const error = await expectRefusedUnchanged(() => restoreInto('s', { targetDir: linkToOutside }), /is a symlink/);
    expect(error.message).toContain(outside);
  });

  it('a source root inside the target that is a symlink is refused before anything is staged', async () => {
    await h.service.create({ name: 's', tags: [], actor: 'a' });
    symlinkSync(outside, path.join(target, 'app'));
    await expectRefusedUnchanged(() => restoreInto('s', { mirror: true }), /target\/app is a symlink/);
  });

  /** A stop hook that really swaps `swapped` for a symlink to `outside` while the restore waits. */
  function swappingStopHook(swapped: string): void {
    const hook = tmp.join('stop.sh');
    writeFileSync(hook, `#!/bin/sh\nrm -rf '${swapped}'\nln -s '${outside}' '${swapped}'\n`);
    chmodSync(hook, 0o755);
    h.setConfig({ hooks: { stop: [hook], timeoutSeconds: 10 } });
  }

  it('a directory swapped for a symlink while the stop hook runs: refused, nothing written or chmodded through it', async () => {
    await h.service.create({ name: 's', tags: [], actor: 'a' });
    await restoreInto('s');
    writeFileSync(path.join(target, 'app/data/big.bin'), 'changed');
    writeFileSync(path.join(target, 'app/config.yml'), 'changed too');
    chmodSync(path.join(target, 'app/data'), 0o700);
    swappingStopHook(path.join(target, 'app/data'));
    const outsideBefore = treeDigest(world, [target]);
    const error = await rejectionOf(restoreInto('s', { mirror: true }), RecoveryError);
    expect(error).toMatchObject({ code: 'unsafe_path', message: expect.stringMatching(/app\/data.*nothing was changed/) });
    expect(treeDigest(world, [target])).toEqual(outsideBefore);
    expect(lstatSync(path.join(target, 'app/data')).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(target, 'app/config.yml'), 'utf8')).toBe('changed too');
    expect(readdirSync(path.join(target, 'app')).filter((n) => n.startsWith('.vigil-restore-'))).toEqual([]);
  });

  it('the target itself swapped for a symlink while the stop hook runs', async () => {
    await h.service.create({ name: 's', tags: [], actor: 'a' });
    writeFileSync(path.join(target, 'marker'), 'target content');
    swappingStopHook(target);
    // The world's own link count drops with the directory the hook removed: compare beneath it.
    const outsideBefore = treeDigest(world, [target]).slice(1);
    expect(await rejectionOf(restoreInto('s'), RecoveryError)).toMatchObject({ code: 'unsafe_path' });
    expect(treeDigest(world, [target]).slice(1)).toEqual(outsideBefore);
    expect(readTree(outside)).toEqual({ 'deep/': '', 'deep/keep.txt': 'keep me', 'secret.txt': 'do not touch' });
  });

  it('a directory above the target swapped for a symlink while the stop hook runs', async () => {
    await h.service.create({ name: 's', tags: [], actor: 'a' });
    const nest = path.join(world, 'nest');
    const decoy = path.join(world, 'decoy');
    mkdirSync(path.join(nest, 'target'), { recursive: true });
    writeTree(decoy, { 'target/app/config.yml': 'the decoy' });
    const hook = tmp.join('stop.sh');
    writeFileSync(hook, `#!/bin/sh\nmv '${nest}' '${nest}.moved'\nln -s '${decoy}' '${nest}'\n`);
    chmodSync(hook, 0o755);
    h.setConfig({ hooks: { stop: [hook], timeoutSeconds: 10 } });
    const decoyBefore = treeDigest(decoy);
    const error = await rejectionOf(restoreInto('s', { targetDir: path.join(nest, 'target') }), RecoveryError);
    expect(error).toMatchObject({ code: 'unsafe_path', message: expect.stringContaining('no longer resolves to itself') });
    expect(treeDigest(decoy)).toEqual(decoyBefore);
  });

  it.each([
    [
      'the staging directory',
      (appTarget: string) =>
        path.join(
          appTarget,
          readdirSync(appTarget).find((name) => name.startsWith('.vigil-restore-'))!,
        ),
    ],
    ['the directory holding the staging directory', (appTarget: string) => appTarget],
  ])('%s swapped for a symlink once the staging directory is made: nothing is staged through the symlink', async (_, swappedOf) => {
    // Enough small files that blob threads stage batches of them too, beside a big one.
    writeTree(app, Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`many/f${i}.txt`, `small ${i}`])));
    await h.service.create({ name: 's', tags: [], actor: 'a' });
    const appTarget = path.join(target, 'app');
    let swapped = '';
    const swapper = recoveryHarness(tmp.join('data'), h.config, {
      onProgress: (update) => {
        if (update.phase !== 'stage' || swapped) return;
        swapped = swappedOf(appTarget);
        renameSync(swapped, path.join(target, 'moved-aside'));
        symlinkSync(outside, swapped);
      },
    });
    const outsideBefore = treeDigest(world, [target]);
    const error = await rejectionOf(
      swapper.service.restore({ ref: 's', targetDir: target, mirror: false, dryRun: false, actor: 'alice', reason: 'attack' }),
      RecoveryError,
    );
    expect(swapped).not.toBe('');
    expect(error).toMatchObject({ code: 'unsafe_path', message: expect.stringContaining('nothing was changed') });
    expect(treeDigest(world, [target])).toEqual(outsideBefore);
    expect(existsSync(path.join(appTarget, 'config.yml'))).toBe(false);
  });

  it('a destination directory swapped for a symlink as the commit begins: rolled back, nothing renamed through it', async () => {
    writeTree(app, Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`many/f${i}.txt`, `small ${i}`])));
    await h.service.create({ name: 's', tags: [], actor: 'a' });
    await restoreInto('s');
    for (let i = 0; i < 300; i += 7) writeFileSync(path.join(target, `app/many/f${i}.txt`), 'changed');
    const many = path.join(target, 'app/many');
    let swapped = false;
    const swapper = recoveryHarness(tmp.join('data'), h.config, {
      onProgress: (update) => {
        if (update.phase !== 'commit' || swapped) return;
        swapped = true;
        renameSync(many, path.join(target, 'moved-aside'));
        symlinkSync(outside, many);
      },
    });
    const outsideBefore = treeDigest(world, [target]);
    const result = await swapper.service.restore({ ref: 's', targetDir: target, mirror: false, dryRun: false, actor: 'alice', reason: 'attack' });
    expect(swapped).toBe(true);
    expect(result).toMatchObject({ outcome: 'rolled-back', rollbackReason: expect.stringMatching(/commit failed.*app\/many is a symlink/) });
    expect(treeDigest(world, [target])).toEqual(outsideBefore);
    expect(readFileSync(path.join(target, 'moved-aside/f0.txt'), 'utf8')).toBe('changed');
  });

  it('a hard link to a file outside is replaced, never written or chmodded through', async () => {
    await h.service.create({ name: 's', tags: [], actor: 'a' });
    await restoreInto('s');
    const secret = path.join(outside, 'secret.txt');
    writeFileSync(secret, 'port: 8080\n');
    chmodSync(secret, 0o600);
    const restored = path.join(target, 'app/config.yml');
    const { rmSync } = await import('node:fs');
    rmSync(restored);
    linkSync(secret, restored);
    const outsideBefore = treeDigest(world, [target]);
    const result = await restoreInto('s');
    expect(result.outcome).toBe('restored');
    expect(statSync(secret).mode & 0o777).toBe(0o600);
    expect(treeDigest(world, [target]).map((line) => line.replace(/ n\d+/, ''))).toEqual(outsideBefore.map((line) => line.replace(/ n\d+/, '')));
    expect(statSync(restored).nlink).toBe(1);
    expect(readTree(path.join(target, 'app'))['config.yml']).toBe('port: 8080\n');
    expect(existsSync(secret)).toBe(true);
  });
});
