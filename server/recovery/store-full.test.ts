import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, rejectionOf, type TempDir } from '../test-support';
import { RecoveryError } from './recovery-error';
import { recoveryHarness, writeTree, type ServiceHarness } from './recovery-test-kit';

let tmp: TempDir;
let app: string;
let h: ServiceHarness;
const mounted: string[] = [];

/** A tmpfs of `size` at a fresh directory: a file system that really fills up (needs root, as CI runs). */
function smallDisk(name: string, size: string): string {
  const dir = tmp.join(name);
  mkdirSync(dir);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
  } catch {
    throw new Error('this test mounts a tmpfs and needs root (CI runs as root)');
  }
  mounted.push(dir);
  return dir;
}

beforeEach(() => {
  tmp = makeTempDir('vigil-full-');
  app = tmp.join('app');
  mkdirSync(app);
});
afterEach(() => {
  for (const dir of mounted.splice(0)) execFileSync('umount', [dir]);
  tmp.remove();
});

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => d.name);

describe('a full snapshot store', () => {
  it('a snapshot that fails on a full store removes the blobs it wrote, so the next one fits', async () => {
    const storeDir = smallDisk('store', '3m');
    h = recoveryHarness(tmp.join('data'), { store: storeDir, sources: [{ name: 'app', path: app, exclude: [] }] });
    writeTree(app, {});
    writeFileSync(path.join(app, 'x.bin'), randomBytes(2 << 20));
    writeFileSync(path.join(app, 'y.bin'), randomBytes(2 << 20));
    const error = await rejectionOf(h.service.create({ name: 'too-big', tags: [], actor: 'a' }), RecoveryError);
    expect(error).toMatchObject({ code: 'no_space', message: expect.stringContaining(`the snapshot store (${storeDir})`) });
    expect(filesUnder(path.join(storeDir, 'blobs'))).toEqual([]);
    expect(filesUnder(path.join(storeDir, 'tmp'))).toEqual([]);
    rmSync(path.join(app, 'x.bin'));
    rmSync(path.join(app, 'y.bin'));
    writeFileSync(path.join(app, 'z.bin'), randomBytes(2 << 20));
    expect((await h.service.create({ name: 'fits', tags: [], actor: 'a' })).files).toBe(1);
  });

  it('blobs of a snapshot killed mid-way are swept before the next one', async () => {
    h = recoveryHarness(tmp.join('data'), { sources: [{ name: 'app', path: app, exclude: [] }] });
    writeFileSync(path.join(app, 'kept.txt'), 'kept');
    await h.service.create({ name: 'first', tags: [], actor: 'a' });
    const store = await h.service.store();
    // What a create killed after storing a blob leaves: its marker, the blob, a temporary file.
    const orphan = 'ab'.padEnd(64, '0');
    writeTree(store.root, { 'create-in-progress': '12345', [`blobs/ab/${orphan}`]: 'orphan', 'tmp/half-written': 'half' });
    writeFileSync(path.join(app, 'new.txt'), 'new');
    await h.service.create({ name: 'second', tags: [], actor: 'a' });
    expect(filesUnder(store.blobsDir)).not.toContain(orphan);
    expect(filesUnder(store.tmpDir)).toEqual([]);
    expect(filesUnder(store.root)).not.toContain('create-in-progress');
    expect((await h.service.verify({ ref: 'first', actor: 'a' })).summary.ok).toBe(true);
  });
});

describe('prune', () => {
  it("stops before removing anything when a kept snapshot's manifest cannot be read", async () => {
    h = recoveryHarness(tmp.join('data'), { sources: [{ name: 'app', path: app, exclude: [] }], retention: { keepLast: 5, daily: 0, weekly: 0 } });
    writeFileSync(path.join(app, 'a.txt'), 'a');
    await h.service.create({ name: 'good', tags: [], actor: 'a' });
    writeFileSync(path.join(app, 'only-in-bad.txt'), 'its blob is referenced by the unreadable manifest alone');
    await h.service.create({ name: 'withb', tags: [], actor: 'a' });
    const store = await h.service.store();
    const header = await store.find('withb');
    await store.deleteHeader(header.id);
    const manifest = await store.readManifest(header.manifestHash);
    const manifestHash = await store.writeManifest({ ...manifest, entries: [...manifest.entries, { ...manifest.entries[1], path: 'app/../escape' }] });
    await store.writeHeader({ ...header, id: 'badmanifest1', name: 'bad', manifestHash });
    const blobs = filesUnder(store.blobsDir);
    expect(await rejectionOf(h.service.prune({ dryRun: false, actor: 'a' }), RecoveryError)).toMatchObject({
      message: expect.stringContaining(manifestHash.slice(0, 12)),
    });
    expect(filesUnder(store.blobsDir)).toEqual(blobs);
  });
});

describe('a full restore target', () => {
  it('is named as the restore target, not the store', async () => {
    h = recoveryHarness(tmp.join('data'), { sources: [{ name: 'app', path: app, exclude: [] }] });
    writeFileSync(path.join(app, 'big.bin'), randomBytes(2 << 20));
    await h.service.create({ name: 's', tags: [], actor: 'a' });
    const target = smallDisk('target', '1m');
    const error = await rejectionOf(
      h.service.restore({ ref: 's', targetDir: target, mirror: false, dryRun: false, actor: 'a', reason: 'test' }),
      RecoveryError,
    );
    expect(error).toMatchObject({ code: 'no_space', message: expect.stringContaining(`the restore target (${target})`) });
    expect(error.message).not.toContain((await h.service.store()).root);
  });
});
