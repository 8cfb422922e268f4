import { snapshotNameSchema, type ManifestEntry, type SnapshotHeader, type SnapshotTag } from '@/lib/recovery/snapshot-schema';
import { rmSync } from 'node:fs';
import { goesToBlobThread, publishBlob, storeBufferAsBlob, storeFileAsBlob, type HashedContent } from './blob-io';
import { BlobThreads, threadError, type StoreJob } from './blob-threads';
import { shareWithIdleThreads } from './shared-work';
import { NOT_REGULAR } from './source-file.mjs';
import { runPool, timeSlicer } from './pool';
import type { ProgressReporter } from './progress';
import { settleSnapshot, sweepAbandonedSnapshot } from './abandoned-blobs';
import { segmentProblem } from './manifest-rules';
import { describeIoError, namingFullFilesystem, RecoveryError } from './recovery-error';
import { syncFilesystem } from './fs-atomic';
import { newSnapshotId, type SnapshotStore } from './snapshot-store';
import { StatCache } from './stat-cache';
import { walkTree, type WalkedEntry } from './tree-walk';

export interface SnapshotSource {
  name: string;
  path: string;
  exclude: string[];
}

/** Content that is not on disk as such, e.g. Vigil's own settings exported from the database. */
export interface VirtualSource {
  name: string;
  files: { rel: string; content: Buffer }[];
}

export interface CreateSnapshotOptions {
  store: SnapshotStore;
  name: string;
  tags: SnapshotTag[];
  actor: string;
  sources: SnapshotSource[];
  virtualSources?: VirtualSource[];
  progress: ProgressReporter;
}

const CONCURRENCY = 16;
const SLICE_MS = 4;

const join = (source: string, rel: string) => (rel ? `${source}/${rel}` : source);

function virtualEntries(source: VirtualSource, now: number): ManifestEntry[] {
  return [
    { type: 'dir', path: source.name, mode: 0o750, mtimeMs: now },
    ...source.files.map((file): ManifestEntry => ({
      type: 'file',
      path: join(source.name, file.rel),
      mode: 0o640,
      size: file.content.length,
      mtimeMs: now,
      hash: '',
    })),
  ];
}

export async function createSnapshot(options: CreateSnapshotOptions): Promise<SnapshotHeader> {
  const { store } = options;
  const name = snapshotNameSchema.safeParse(options.name);
  if (!name.success) throw new RecoveryError('bad_input', `snapshot name ${JSON.stringify(options.name)}: ${name.error.issues[0].message}`);
  if ((await store.list()).some((header) => header.name === options.name)) throw new RecoveryError('exists', `a snapshot named ${options.name} already exists`);
  const sourceNames = [...options.sources.map((s) => s.name), ...(options.virtualSources ?? []).map((s) => s.name)];
  if (sourceNames.length === 0) throw new RecoveryError('bad_input', 'nothing to snapshot: configure snapshots.sources or include Vigil state');
  if (new Set(sourceNames).size !== sourceNames.length) throw new RecoveryError('bad_input', 'two snapshot sources share a name');
  const badName = sourceNames.find((sourceName) => segmentProblem(sourceName) !== null);
  if (badName !== undefined) throw new RecoveryError('bad_input', `snapshot source name ${JSON.stringify(badName)} has ${segmentProblem(badName)}`);

  await sweepAbandonedSnapshot(store);
  const newBlobs = new Set<string>();
  try {
    const header = await namingFullFilesystem(`the snapshot store (${store.root})`, () => writeSnapshot(options, newBlobs));
    await settleSnapshot(store, { failed: false, newBlobs });
    return header;
  } catch (error) {
    await settleSnapshot(store, { failed: true, newBlobs }).catch(() => undefined);
    throw describeIoError(error, 'snapshot');
  }
}

/**
 * Reads, hashes and stores the files at `indices` of `walked`. Big files go first, each to a blob
 * thread; small ones are taken in order, one at a time by this thread (synchronous calls, the
 * event loop running between slices) and a batch at a time by a blob thread with nothing else to
 * do, so both cores hash and write while the big files are still being stored and after.
 */
async function storeFiles(
  store: SnapshotStore,
  walked: readonly { entry: WalkedEntry }[],
  indices: readonly number[],
  slice: () => Promise<void> | undefined,
  recordStored: (index: number, stored: HashedContent & { isNew: boolean }) => void,
): Promise<void> {
  const isBig = (index: number) => goesToBlobThread(walked[index].entry.size);
  const big = indices.filter(isBig);
  const small = indices.filter((index) => !isBig(index));
  const threads = new BlobThreads();
  const storeOne = async (index: number) => recordStored(index, await storeFileAsBlob(store, walked[index].entry.abs, walked[index].entry.size, threads));
  try {
    await shareWithIdleThreads(threads, 'storeBatch', small, {
      slice,
      here: storeOne,
      job: (index): StoreJob & { index: number } => ({ index, file: walked[index].entry.abs, tmp: store.tempPath() }),
      done: (batch, outcomes) => {
        outcomes.forEach((outcome, i) => {
          const job = batch[i];
          if (!outcome.ok) {
            rmSync(job.tmp, { force: true });
            throw threadError(outcome);
          }
          recordStored(job.index, { ...outcome.result, isNew: publishBlob(store, job.tmp, outcome.result.hash) });
        });
        if (outcomes.length < batch.length) throw new Error(`a blob thread answered ${outcomes.length} of ${batch.length} files`);
      },
      alongside: () => runPool(big, CONCURRENCY, storeOne),
    });
  } finally {
    await threads.close();
  }
}

/** A file the walk listed that was gone, or no longer a regular file, when it was read, named as the operator knows it; null for any other error. */
function changedSource(error: unknown, walked: readonly { source: SnapshotSource; entry: WalkedEntry }[]): RecoveryError | null {
  const { code, path: file } = error as NodeJS.ErrnoException;
  const what = code === 'ENOENT' ? 'disappeared' : code === NOT_REGULAR ? 'is no longer a regular file' : null;
  const changed = what ? walked.find(({ entry }) => entry.abs === file) : undefined;
  if (!changed) return null;
  return new RecoveryError(
    'source_missing',
    `source ${changed.source.name}: ${changed.entry.rel} ${what} since the snapshot listed it; nothing was kept, take the snapshot again`,
  );
}

/** Walks, stores blobs (recording each new one in `newBlobs`), then the manifest and header. */
async function writeSnapshot(options: CreateSnapshotOptions, newBlobs: Set<string>): Promise<SnapshotHeader> {
  const { store, progress } = options;
  const started = performance.now();
  progress.phase('scan');
  const walked: { source: SnapshotSource; entry: WalkedEntry }[] = [];
  for (const source of options.sources) {
    const { entries } = await walkTree(source.path, source.exclude).catch((error: unknown) => {
      if (error instanceof RecoveryError && error.code === 'source_missing')
        throw new RecoveryError('source_missing', `source ${source.name}: ${error.message}`);
      throw error;
    });
    for (const entry of entries) walked.push({ source, entry });
  }
  const files = walked.filter((w) => w.entry.type === 'file');
  const totalBytes = files.reduce((sum, w) => sum + w.entry.size, 0);

  const cache = await StatCache.load(store);
  const entries: ManifestEntry[] = new Array<ManifestEntry>(walked.length);
  let newBytes = 0;
  progress.phase('hash', { files: files.length, bytes: totalBytes });
  const slice = timeSlicer(SLICE_MS);
  const recordFile = (index: number, hash: string, size: number) => {
    const { source, entry } = walked[index];
    cache.remember(entry, hash);
    entries[index] = { type: 'file', path: join(source.name, entry.rel), mode: entry.mode, size, mtimeMs: entry.mtimeMs, hash, uid: entry.uid, gid: entry.gid };
    progress.advance(1, size);
  };
  const recordStored = (index: number, stored: HashedContent & { isNew: boolean }) => {
    if (stored.isNew) {
      newBytes += stored.size;
      newBlobs.add(stored.hash);
    }
    recordFile(index, stored.hash, stored.size);
  };

  // Directories, links and unchanged files (by the stat cache) are recorded at once; the files
  // left are read, hashed and stored.
  const hits: { index: number; hash: string }[] = [];
  const toStore: number[] = [];
  for (const [index, { source, entry }] of walked.entries()) {
    await slice();
    const owner = { uid: entry.uid, gid: entry.gid };
    const entryPath = join(source.name, entry.rel);
    if (entry.type === 'dir') entries[index] = { type: 'dir', path: entryPath, mode: entry.mode, mtimeMs: entry.mtimeMs, ...owner };
    else if (entry.type === 'symlink')
      entries[index] = { type: 'symlink', path: entryPath, mode: entry.mode, mtimeMs: entry.mtimeMs, target: entry.target ?? '', ...owner };
    else {
      const hash = cache.lookup(entry);
      if (hash === null) toStore.push(index);
      else hits.push({ index, hash });
    }
  }
  if (hits.length > 0) {
    // Listed once: an unchanged file is then stat()ed once, by the walk. A blob pruned or
    // deleted since is stored again from the file.
    const inStore = await store.blobHashes();
    for (const { index, hash } of hits) {
      if (inStore.has(hash)) recordFile(index, hash, walked[index].entry.size);
      else toStore.push(index);
    }
  }
  await storeFiles(store, walked, toStore, slice, recordStored).catch((error: unknown) => {
    throw changedSource(error, walked) ?? error;
  });
  const now = Date.now();
  for (const source of options.virtualSources ?? []) {
    for (const entry of virtualEntries(source, now)) {
      if (entry.type === 'file') {
        const content = source.files.find((file) => join(source.name, file.rel) === entry.path)!.content;
        const stored = await storeBufferAsBlob(store, content);
        if (stored.isNew) {
          newBytes += content.length;
          newBlobs.add(stored.hash);
        }
        entry.hash = stored.hash;
      }
      entries.push(entry);
    }
  }

  const sources = [
    ...options.sources.map((s) => ({ name: s.name, path: s.path, exclude: s.exclude })),
    ...(options.virtualSources ?? []).map((s) => ({ name: s.name, path: `vigil:${s.name}`, exclude: [] })),
  ];
  // The new blobs reach the disk together, before the manifest that names them.
  if (newBlobs.size > 0) await syncFilesystem(store.root);
  const manifestHash = await store.writeManifest({ version: 1, sources, entries });
  const fileEntries = entries.filter((e) => e.type === 'file');
  const header: SnapshotHeader = {
    id: newSnapshotId(),
    name: options.name,
    tags: [...new Set(options.tags)],
    createdAt: new Date().toISOString(),
    createdBy: options.actor,
    manifestHash,
    sources: sources.map(({ name: sourceName, path: sourcePath }) => ({ name: sourceName, path: sourcePath })),
    files: fileEntries.length,
    dirs: entries.filter((e) => e.type === 'dir').length,
    bytes: fileEntries.reduce((sum, e) => sum + (e.type === 'file' ? e.size : 0), 0),
    newBytes,
    durationMs: Math.round(performance.now() - started),
    lastVerification: null,
  };
  await store.writeHeader(header);
  await cache.save();
  return header;
}
