// A held staging directory: what is created through it lands in the directory that was checked,
// whatever is later swapped in at its path, and a swap is noticed before anything staged is used.
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, thrownBy, type TempDir } from '../test-support';
import { RecoveryError } from './recovery-error';
import { HeldDirs, holdStagingDir, type StagingDir } from './staging-dir';

let tmp: TempDir;
let anchor: string;
let staging: string;
let outside: string;
let held: StagingDir | null;

beforeEach(() => {
  tmp = makeTempDir('vigil-staging-dir-');
  anchor = tmp.join('target');
  staging = path.join(anchor, '.vigil-restore-x');
  outside = tmp.join('outside');
  mkdirSync(staging, { recursive: true, mode: 0o700 });
  mkdirSync(outside);
  held = null;
});
afterEach(() => {
  held?.close();
  tmp.remove();
});

describe('holdStagingDir', () => {
  it('creates into the directory it checked after that directory is swapped for a symlink, and reports the swap', () => {
    held = holdStagingDir(staging, [anchor]);
    renameSync(staging, path.join(anchor, 'moved'));
    symlinkSync(outside, staging);
    writeFileSync(held.createPath(path.join(staging, 's0')), 'staged', { flag: 'wx' });
    expect(readdirSync(outside)).toEqual([]);
    expect(readFileSync(path.join(anchor, 'moved', 's0'), 'utf8')).toBe('staged');
    expect(thrownBy(() => held!.assertInPlace())).toMatchObject({ code: 'unsafe_path', message: expect.stringContaining('was replaced') });
  });

  it('reports a real directory put in its place', () => {
    held = holdStagingDir(staging, [anchor]);
    renameSync(staging, path.join(anchor, 'moved'));
    mkdirSync(staging, { mode: 0o700 });
    expect(thrownBy(() => held!.assertInPlace())).toMatchObject({ code: 'unsafe_path', message: expect.stringContaining('was replaced') });
  });

  it('is in place while nothing moved', () => {
    held = holdStagingDir(staging, [anchor]);
    writeFileSync(held.createPath(path.join(staging, 's0')), 'staged', { flag: 'wx' });
    held.assertInPlace();
    expect(readFileSync(path.join(staging, 's0'), 'utf8')).toBe('staged');
  });

  it('refuses a staging directory reached through a symlink, and a path outside it', () => {
    const real = tmp.join('real');
    mkdirSync(path.join(real, 'staging'), { recursive: true });
    symlinkSync(real, path.join(anchor, 'link'));
    expect(thrownBy(() => holdStagingDir(path.join(anchor, 'link', 'staging'), [anchor]))).toMatchObject({
      code: 'unsafe_path',
      message: expect.stringContaining('is a symlink'),
    });
    held = holdStagingDir(staging, [anchor]);
    expect(() => held!.createPath(path.join(outside, 's0'))).toThrow(/is not in the directory/);
    expect(existsSync(path.join(outside, 's0'))).toBe(false);
  });

  it.runIf(process.getuid?.() === 0)('refuses a directory that belongs to someone else', () => {
    chownSync(staging, 65534, 65534);
    expect(thrownBy(() => holdStagingDir(staging, [anchor]))).toBeInstanceOf(RecoveryError);
  });
});

describe('HeldDirs', () => {
  let dirs: HeldDirs;
  beforeEach(() => {
    dirs = new HeldDirs([anchor]);
  });
  afterEach(() => dirs.close());

  it('renames into the directory it checked after that directory is swapped for a symlink, and reports the swap on release', () => {
    const dest = path.join(anchor, 'app');
    mkdirSync(dest);
    writeFileSync(path.join(staging, 's0'), 'first');
    writeFileSync(path.join(staging, 's1'), 'second');
    renameSync(dirs.through(path.join(staging, 's0'))!, dirs.through(path.join(dest, 'a.txt'))!);
    renameSync(dest, path.join(anchor, 'moved'));
    symlinkSync(outside, dest);
    renameSync(dirs.through(path.join(staging, 's1'))!, dirs.through(path.join(dest, 'b.txt'))!);
    expect(readdirSync(outside)).toEqual([]);
    expect(readdirSync(path.join(anchor, 'moved')).sort()).toEqual(['a.txt', 'b.txt']);
    expect(thrownBy(() => dirs.release())).toMatchObject({ code: 'unsafe_path', message: expect.stringContaining('was replaced') });
  });

  it('refuses a directory that is already a symlink when it is first held', () => {
    symlinkSync(outside, path.join(anchor, 'app'));
    expect(thrownBy(() => dirs.through(path.join(anchor, 'app', 'a.txt')))).toMatchObject({
      code: 'unsafe_path',
      message: expect.stringContaining('is a symlink'),
    });
    expect(readdirSync(outside)).toEqual([]);
  });

  it('checks a directory again when it lets it go to hold another, past the ones it keeps open', () => {
    const many = Array.from({ length: 65 }, (_, i) => path.join(anchor, `d${i}`));
    for (const dir of many) mkdirSync(dir);
    dirs.through(path.join(many[0], 'x'));
    renameSync(many[0], path.join(anchor, 'moved'));
    mkdirSync(many[0]);
    for (const dir of many.slice(1, 64)) dirs.through(path.join(dir, 'x'));
    // The 65th directory makes it let go of the first, whose path now leads elsewhere.
    expect(thrownBy(() => dirs.through(path.join(many[64], 'x')))).toMatchObject({ code: 'unsafe_path', message: expect.stringContaining(many[0]) });
  });

  it('lets every directory go in place when nothing moved', () => {
    for (let i = 0; i < 70; i++) mkdirSync(path.join(anchor, `d${i}`));
    for (let i = 0; i < 70; i++) expect(dirs.through(path.join(anchor, `d${i}`, 'x'))).toMatch(/^\/proc\/self\/fd\/\d+\/x$/);
    expect(() => dirs.release()).not.toThrow();
  });
});
