import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { pathExists, writeFileAtomic } from './fs-atomic';
import type { SnapshotStore } from './snapshot-store';

/**
 * A snapshot stores its new blobs before its manifest; if it fails (a full store, a vanished
 * source) or is killed, those blobs belong to nothing and would fill the store for the next one.
 * All of this runs under the store lock, so no other operation is writing blobs meanwhile.
 */
const markerOf = (store: SnapshotStore) => path.join(store.root, 'create-in-progress');

/** Blobs named by no manifest in the store. Unknown when a manifest cannot be read: then none. */
async function orphanBlobs(store: SnapshotStore): Promise<string[]> {
  const referenced = new Set<string>();
  for (const name of await readdir(store.manifestsDir)) {
    if (!name.endsWith('.json')) continue;
    const manifest = await store.readManifest(name.slice(0, -'.json'.length)).catch(() => null);
    if (!manifest) return [];
    for (const entry of manifest.entries) if (entry.type === 'file') referenced.add(entry.hash);
  }
  const orphans: string[] = [];
  for (const prefix of await readdir(store.blobsDir)) {
    for (const blob of await readdir(path.join(store.blobsDir, prefix))) if (!referenced.has(blob)) orphans.push(blob);
  }
  return orphans;
}

export async function removeBlobs(store: SnapshotStore, hashes: Iterable<string>): Promise<void> {
  for (const hash of hashes) await rm(store.blobPath(hash), { force: true });
}

async function clearTemporaryFiles(store: SnapshotStore): Promise<void> {
  for (const name of await readdir(store.tmpDir)) await rm(path.join(store.tmpDir, name), { force: true, recursive: true });
}

/** Before a snapshot: what an earlier one left when it was killed mid-way. */
export async function sweepAbandonedSnapshot(store: SnapshotStore): Promise<void> {
  await clearTemporaryFiles(store);
  if (await pathExists(markerOf(store))) await removeBlobs(store, await orphanBlobs(store));
  await writeFileAtomic(markerOf(store), String(process.pid));
}

/** After a snapshot: on failure its own new blobs go, referenced by no manifest. */
export async function settleSnapshot(store: SnapshotStore, outcome: { failed: boolean; newBlobs: Iterable<string> }): Promise<void> {
  if (outcome.failed) {
    await removeBlobs(store, outcome.newBlobs);
    await clearTemporaryFiles(store);
  }
  await rm(markerOf(store), { force: true });
}
