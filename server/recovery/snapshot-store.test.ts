// Manifests are stored by the hash of their bytes: the same manifest again costs no write, and a
// file under that name that lost its bytes is written whole again.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Manifest } from '@/lib/recovery/snapshot-schema';
import { makeTempDir, type TempDir } from '../test-support';
import { SnapshotStore } from './snapshot-store';

let tmp: TempDir;
let store: SnapshotStore;

beforeEach(async () => {
  tmp = makeTempDir('vigil-snapshot-store-');
  store = await new SnapshotStore(tmp.join('store')).init();
});
afterEach(() => tmp.remove());

const manifest: Manifest = {
  version: 1,
  sources: [{ name: 'app', path: '/srv/app', exclude: [] }],
  entries: [
    { type: 'dir', path: 'app', mode: 0o750, mtimeMs: 1_765_000_000_000 },
    { type: 'file', path: 'app/a.txt', mode: 0o640, size: 1, mtimeMs: 1_765_000_000_000, hash: 'a'.repeat(64) },
  ],
};

describe('SnapshotStore.writeManifest', () => {
  it('leaves an identical manifest as it is, and rewrites one whose bytes were damaged', async () => {
    const hash = await store.writeManifest(manifest);
    const file = path.join(store.manifestsDir, `${hash}.json`);
    const written = statSync(file);
    expect(await store.writeManifest(structuredClone(manifest))).toBe(hash);
    expect(statSync(file).ino).toBe(written.ino);

    const good = readFileSync(file);
    writeFileSync(file, good.subarray(0, 10));
    expect(await store.writeManifest(manifest)).toBe(hash);
    expect(readFileSync(file).equals(good)).toBe(true);
    expect(await store.readManifest(hash)).toEqual(manifest);
  });
});
