import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { SnapshotHeader } from '@/lib/recovery/snapshot-schema';
import { pathExists } from './fs-atomic';
import type { ProgressReporter } from './progress';
import type { SnapshotStore } from './snapshot-store';

export interface RetentionPolicy {
  keepLast: number;
  daily: number;
  weekly: number;
}

const dayOf = (iso: string) => iso.slice(0, 10);
function weekOf(iso: string): string {
  const date = new Date(iso);
  const monday = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - ((date.getUTCDay() + 6) % 7)));
  return monday.toISOString().slice(0, 10);
}

/**
 * restic's `forget --keep-last --keep-daily --keep-weekly`: the newest snapshot of each of the
 * last N days (weeks) is kept. Golden snapshots are never removed by a policy.
 */
export function selectForRemoval(headers: readonly SnapshotHeader[], policy: RetentionPolicy): { keep: SnapshotHeader[]; remove: SnapshotHeader[] } {
  const newestFirst = [...headers].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const keep = new Set<string>(newestFirst.slice(0, policy.keepLast).map((h) => h.id));
  for (const header of newestFirst) if (header.tags.includes('golden')) keep.add(header.id);
  const bucket = (count: number, key: (iso: string) => string) => {
    const seen = new Set<string>();
    for (const header of newestFirst) {
      const k = key(header.createdAt);
      if (seen.has(k)) continue;
      if (seen.size >= count) break;
      seen.add(k);
      keep.add(header.id);
    }
  };
  bucket(policy.daily, dayOf);
  bucket(policy.weekly, weekOf);
  return { keep: newestFirst.filter((h) => keep.has(h.id)), remove: newestFirst.filter((h) => !keep.has(h.id)) };
}

export interface PruneResult {
  removedSnapshots: string[];
  removedBlobs: number;
  freedBytes: number;
  keptSnapshots: number;
  dryRun: boolean;
}

/** Forgets what the policy lets go, then sweeps blobs and manifests no snapshot references. */
export async function pruneSnapshots({
  store,
  policy,
  dryRun,
  progress,
}: {
  store: SnapshotStore;
  policy: RetentionPolicy;
  dryRun: boolean;
  progress: ProgressReporter;
}): Promise<PruneResult> {
  const { keep, remove } = selectForRemoval(await store.list(), policy);
  progress.phase('prune', { files: remove.length });
  const referenced = new Set<string>();
  const manifests = new Set<string>();
  for (const header of keep) {
    manifests.add(header.manifestHash);
    // A manifest that is gone references nothing; one that is there but cannot be read stops the
    // prune before anything is removed, since the blobs it names cannot be told apart.
    if (!(await pathExists(path.join(store.manifestsDir, `${header.manifestHash}.json`)))) continue;
    const manifest = await store.readManifest(header.manifestHash);
    for (const entry of manifest.entries) if (entry.type === 'file') referenced.add(entry.hash);
  }
  let removedBlobs = 0;
  let freedBytes = 0;
  if (!dryRun) for (const header of remove) await store.deleteHeader(header.id);
  for (const prefix of await readdir(store.blobsDir)) {
    const dir = path.join(store.blobsDir, prefix);
    for (const blob of await readdir(dir)) {
      if (referenced.has(blob)) continue;
      const file = path.join(dir, blob);
      freedBytes += (await stat(file)).size;
      removedBlobs += 1;
      if (!dryRun) await rm(file, { force: true });
    }
  }
  if (!dryRun) {
    for (const name of await readdir(store.manifestsDir))
      if (!manifests.has(name.replace(/\.json$/, ''))) await rm(path.join(store.manifestsDir, name), { force: true });
    // Left by a snapshot that died mid-write; the store lock guarantees none is in use now.
    for (const name of await readdir(store.tmpDir)) await rm(path.join(store.tmpDir, name), { force: true, recursive: true });
  }
  progress.advance(remove.length, freedBytes);
  return { removedSnapshots: remove.map((h) => h.name), removedBlobs, freedBytes, keptSnapshots: keep.length, dryRun };
}
