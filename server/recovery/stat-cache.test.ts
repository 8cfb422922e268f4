// The binary stat cache: a file keeps its hash only while size, mtime, ctime and inode all match,
// and a damaged cache file costs a re-read, never a wrong hash.
import { statSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../test-support';
import { SnapshotStore } from './snapshot-store';
import { StatCache } from './stat-cache';
import type { WalkedEntry } from './tree-walk';

let tmp: TempDir;
let store: SnapshotStore;

beforeEach(async () => {
  tmp = makeTempDir('vigil-stat-cache-');
  store = await new SnapshotStore(tmp.join('store')).init();
});
afterEach(() => tmp.remove());

const entry = (abs: string, change: Partial<WalkedEntry> = {}): WalkedEntry => ({
  rel: path.basename(abs),
  abs,
  type: 'file',
  mode: 0o640,
  uid: 0,
  gid: 0,
  size: 40_960,
  mtimeMs: 1_765_000_000_123.4567,
  ctimeMs: 1_765_000_001_987.6543,
  ino: 2 ** 40 + 7,
  ...change,
});
const HASH_A = 'a'.repeat(62) + '0f';
const HASH_B = '0123456789abcdef'.repeat(4);

async function saved(entries: [WalkedEntry, string][]): Promise<StatCache> {
  const cache = await StatCache.load(store);
  for (const [e, hash] of entries) cache.remember(e, hash);
  await cache.save();
  return StatCache.load(store);
}

describe('StatCache', () => {
  it('gives back the hash of an unchanged file, including non-ASCII paths', async () => {
    const cache = await saved([
      [entry('/srv/app/a.bin'), HASH_A],
      [entry('/srv/app/é ü/b.bin', { size: 0 }), HASH_B],
    ]);
    expect(cache.lookup(entry('/srv/app/a.bin'))).toBe(HASH_A);
    expect(cache.lookup(entry('/srv/app/é ü/b.bin', { size: 0 }))).toBe(HASH_B);
    expect(cache.lookup(entry('/srv/app/c.bin'))).toBeNull();
  });

  it('misses when any of size, mtime, ctime or inode changed', async () => {
    const cache = await saved([[entry('/srv/a'), HASH_A]]);
    for (const change of [{ size: 40_961 }, { mtimeMs: 1_765_000_000_124.4567 }, { ctimeMs: 1 }, { ino: 2 ** 40 + 8 }]) {
      expect(cache.lookup(entry('/srv/a', change))).toBeNull();
    }
  });

  it('keeps only what the last snapshot remembered', async () => {
    await saved([[entry('/srv/a'), HASH_A]]);
    const cache = await saved([[entry('/srv/b'), HASH_B]]);
    expect(cache.lookup(entry('/srv/a'))).toBeNull();
    expect(cache.lookup(entry('/srv/b'))).toBe(HASH_B);
  });

  it('is written again only when what it remembers changed', async () => {
    await saved([[entry('/srv/a'), HASH_A]]);
    const file = path.join(store.cacheDir, 'stat-cache.bin');
    const before = statSync(file);
    await saved([[entry('/srv/a'), HASH_A]]);
    // The same file, not a new one renamed over it.
    expect(statSync(file).ino).toBe(before.ino);
    const changed = await saved([[entry('/srv/a', { size: 1 }), HASH_B]]);
    expect(statSync(file).ino).not.toBe(before.ino);
    expect(changed.lookup(entry('/srv/a', { size: 1 }))).toBe(HASH_B);
  });

  it('treats a truncated or foreign cache file as empty', async () => {
    await saved([[entry('/srv/a'), HASH_A]]);
    const file = path.join(store.cacheDir, 'stat-cache.bin');
    truncateSync(file, 30);
    expect((await StatCache.load(store)).lookup(entry('/srv/a'))).toBeNull();
    writeFileSync(file, '{"/srv/a":{}}');
    expect((await StatCache.load(store)).lookup(entry('/srv/a'))).toBeNull();
  });
});
