// What the speed-ups of snapshot and restore rest on: one filesystem sync instead of an fsync per
// file, a listing of the store instead of a stat per unchanged file, and file renames committed
// together while every other step keeps the journal's order.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RestoreOp } from './restore-journal-schema';
import { makeTempDir, rejectionOf, type TempDir } from '../test-support';
import { syncFilesystem } from './fs-atomic';
import { recoveryHarness, readTree, writeTree, type ServiceHarness } from './recovery-test-kit';
import { commitBatches } from './restore-settle';

let tmp: TempDir;
let app: string;
let h: ServiceHarness;

beforeEach(() => {
  tmp = makeTempDir('vigil-batched-sync-');
  app = tmp.join('app');
  const files: Record<string, string> = { 'big.bin': 'b'.repeat(2 << 20) };
  for (let i = 0; i < 40; i++) files[`d${i % 4}/f${i}.txt`] = `file ${i}`;
  writeTree(app, files);
  h = recoveryHarness(tmp.join('data'), { sources: [{ name: 'app', path: app, exclude: [] }] });
});
afterEach(() => tmp.remove());

describe('syncFilesystem', () => {
  it('returns once the filesystem is synced, and fails for a directory that is not there', async () => {
    await syncFilesystem(app);
    const failure = await rejectionOf(syncFilesystem(tmp.join('missing')), Error);
    expect(failure.message).toMatch(/missing/);
  });
});

/** A first snapshot of the app, its store, and the manifest entry of one of its small files. */
async function snapshotHolding(entryPath: string) {
  const first = await h.service.create({ name: 'first', tags: [], actor: 'a' });
  const store = await h.service.store();
  const small = (await store.readManifest(first.manifestHash)).entries.find((e) => e.path === entryPath);
  if (small?.type !== 'file') throw new Error(`${entryPath} is missing from the manifest`);
  return { first, store, small };
}

describe('an unchanged tree', () => {
  it('keeps every hash from the stat cache, and stores again a blob deleted from the store since', async () => {
    const { first, store, small } = await snapshotHolding('app/d1/f1.txt');
    rmSync(store.blobPath(small.hash));
    const second = await h.service.create({ name: 'second', tags: [], actor: 'a' });
    expect(second.manifestHash).toBe(first.manifestHash);
    expect(second.newBytes).toBe('file 1'.length);
    expect(existsSync(store.blobPath(small.hash))).toBe(true);
    expect((await h.service.verify({ ref: 'first', actor: 'a' })).summary.ok).toBe(true);
  });

  it('stores again blobs whose whole prefix directory was removed from the store since', async () => {
    const { first, store, small } = await snapshotHolding('app/d2/f2.txt');
    const prefixDir = path.dirname(store.blobPath(small.hash));
    const gone = readdirSync(prefixDir);
    rmSync(prefixDir, { recursive: true });
    const second = await h.service.create({ name: 'second', tags: [], actor: 'a' });
    expect(second.manifestHash).toBe(first.manifestHash);
    expect(readdirSync(prefixDir).sort()).toEqual(gone.sort());
    expect((await h.service.verify({ ref: 'first', actor: 'a' })).summary.ok).toBe(true);
  });
});

describe('restore commit', () => {
  it('restores a tree of many files into an empty target, byte for byte, and a second restore finds nothing to write', async () => {
    await h.service.create({ name: 's', tags: [], actor: 'a' });
    const target = tmp.join('out');
    const result = await h.service.restore({ ref: 's', targetDir: target, mirror: false, dryRun: false, actor: 'a', reason: 'test' });
    expect(result.outcome).toBe('restored');
    expect(readTree(path.join(target, 'app'))).toEqual(readTree(app));
    const again = await h.service.restore({ ref: 's', targetDir: target, mirror: false, dryRun: false, actor: 'a', reason: 'test' });
    expect(again.changes).toEqual([]);
    expect(again.filesWritten).toBe(0);
  });

  it('batches runs of file writes and keeps every other op where the journal put it', () => {
    const write = (dest: string): RestoreOp => ({
      kind: 'write',
      type: 'file',
      dest,
      staged: `${dest}.staged`,
      backup: `${dest}.backup`,
      hadOriginal: false,
      entry: { type: 'file', path: dest, mode: 0o644, size: 1, mtimeMs: 0, hash: 'a'.repeat(64) },
    });
    const mkdir: RestoreOp = { kind: 'mkdir', dest: '/t/d', mode: 0o755, backup: '/t/b0', hadOriginal: false };
    const remove: RestoreOp = { kind: 'remove', dest: '/t/old', backup: '/t/b1' };
    const ops = [mkdir, write('/t/d/a'), write('/t/d/b'), write('/t/d/c'), remove, write('/t/d/e')];
    expect(commitBatches(ops)).toEqual([[mkdir], [ops[1], ops[2], ops[3]], [remove], [ops[5]]]);
    expect(commitBatches([])).toEqual([]);
  });
});
