import { copyFile, link, mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { FileEntry, Manifest, SnapshotHeader } from '@/lib/recovery/snapshot-schema';
import { checkBlob } from '../blob-io';
import { syncFilesystem, writeFileAtomic } from '../fs-atomic';
import type { ProgressReporter } from '../progress';
import { RecoveryError } from '../recovery-error';
import { SnapshotStore } from '../snapshot-store';
import { verifyBlobs, type BlobProblem } from '../verify-snapshot';

/**
 * What goes to restic for one snapshot: a miniature snapshot store (its header, its manifest as
 * the exact bytes that were hashed, and every blob it names), so what comes back is checked by
 * the same code, against the same hashes, as the local store.
 */
export const BUNDLE_PREFIX = 'offsite-';

const fileEntries = (manifest: Manifest): FileEntry[] => manifest.entries.filter((e): e is FileEntry => e.type === 'file');
const distinctHashes = (manifest: Manifest): string[] => [...new Set(fileEntries(manifest).map((e) => e.hash))];

/** Hard links where the file system allows (no bytes copied), a copy where it does not. */
async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw error;
    await copyFile(from, to);
  }
}

export async function buildBundle(store: SnapshotStore, header: SnapshotHeader, dir: string): Promise<{ bytes: number; files: number }> {
  const bundle = new SnapshotStore(dir);
  const manifestBytes = await readFile(path.join(store.manifestsDir, `${header.manifestHash}.json`));
  const manifest = await store.readManifest(header.manifestHash);
  for (const sub of [bundle.manifestsDir, bundle.snapshotsDir]) await mkdir(sub, { recursive: true, mode: 0o700 });
  await writeFileAtomic(path.join(bundle.manifestsDir, `${header.manifestHash}.json`), manifestBytes);
  await bundle.writeHeader(header);
  let bytes = 0;
  const hashes = distinctHashes(manifest);
  for (const hash of hashes) {
    await mkdir(path.dirname(bundle.blobPath(hash)), { recursive: true, mode: 0o700 });
    try {
      await linkOrCopy(store.blobPath(hash), bundle.blobPath(hash));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        throw new RecoveryError(
          'corrupt',
          `snapshot ${header.name} is damaged locally (blob ${hash.slice(0, 12)} is missing); run vigil snapshot verify ${header.name}`,
        );
      throw error;
    }
    bytes += (await bundle.blobSize(hash)) ?? 0;
  }
  return { bytes, files: hashes.length };
}

export interface FetchedBundle {
  header: SnapshotHeader;
  manifest: Manifest;
  manifestBytes: Buffer;
  problems: BlobProblem[];
}

/** Reads what restic restored and checks every blob against the manifest, whose own hash is checked first. */
export async function readBundle(dir: string, progress: ProgressReporter): Promise<FetchedBundle> {
  const bundle = new SnapshotStore(dir);
  const headers = await bundle.list().catch(() => []);
  if (headers.length !== 1) throw new RecoveryError('corrupt', `the off-site copy does not hold one Vigil snapshot (found ${headers.length} headers)`);
  const [header] = headers;
  const manifest = await bundle.readManifest(header.manifestHash);
  const manifestBytes = await readFile(path.join(bundle.manifestsDir, `${header.manifestHash}.json`));
  const problems = await verifyBlobs(bundle, fileEntries(manifest), progress);
  return { header, manifest, manifestBytes, problems };
}

/**
 * Moves a verified bundle's blobs, manifest and header into the local store (which may have
 * been lost and re-created empty). Sound blobs the store already holds stay as they are.
 */
export async function importBundle(store: SnapshotStore, dir: string, fetched: FetchedBundle): Promise<void> {
  const bundle = new SnapshotStore(dir);
  const sizes = new Map(fileEntries(fetched.manifest).map((e) => [e.hash, e.size]));
  for (const [hash, size] of sizes) {
    // A damaged local blob is replaced by the verified one: the local store may be why we are here.
    if ((await checkBlob(store, { hash, size })) === null) continue;
    await mkdir(path.dirname(store.blobPath(hash)), { recursive: true, mode: 0o750 });
    await rename(bundle.blobPath(hash), store.blobPath(hash));
  }
  // The blobs restic wrote reach the disk before the manifest that names them, as a local snapshot's do.
  await syncFilesystem(store.root);
  await writeFileAtomic(path.join(store.manifestsDir, `${fetched.header.manifestHash}.json`), fetched.manifestBytes);
  if (!(await store.list()).some((h) => h.id === fetched.header.id)) await store.writeHeader(fetched.header);
}

/** Bundles left by a copy or a fetch that was killed: only ever swept under the store lock. */
export async function sweepBundles(store: SnapshotStore): Promise<void> {
  const names = await readdir(store.tmpDir).catch(() => [] as string[]);
  for (const name of names) if (name.startsWith(BUNDLE_PREFIX)) await rm(path.join(store.tmpDir, name), { recursive: true, force: true });
}
