import { snapshotNameSchema, type ManifestEntry, type SnapshotHeader, type SnapshotTag } from '@/lib/recovery/snapshot-schema';
import { goesToBlobThread, storeBufferAsBlob, storeFileAsBlob } from './blob-io';
import { BlobThreads } from './blob-threads';
import { bigFilesFirst, runPool, timeSlicer } from './pool';
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
  // Listed once, on the first cache hit: an unchanged file is then stat()ed once, by the walk.
  let inStore: Promise<Set<string>> | undefined;
  progress.phase('hash', { files: files.length, bytes: totalBytes });
  // Small files and cache hits are handled with synchronous calls: the event loop runs between
  // slices. Big files go first, to blob threads, so they are hashed while the small ones are.
  const slice = timeSlicer(SLICE_MS);
  const threads = new BlobThreads();
  const storeEntry = async (index: number): Promise<void> => {
    const { source, entry } = walked[index];
    await slice();
    const entryPath = join(source.name, entry.rel);
    const owner = { uid: entry.uid, gid: entry.gid };
    if (entry.type === 'dir') entries[index] = { type: 'dir', path: entryPath, mode: entry.mode, mtimeMs: entry.mtimeMs, ...owner };
    else if (entry.type === 'symlink')
      entries[index] = { type: 'symlink', path: entryPath, mode: entry.mode, mtimeMs: entry.mtimeMs, target: entry.target ?? '', ...owner };
    else {
      let hash = cache.lookup(entry);
      let size = entry.size;
      // A blob pruned or deleted since is stored again from the file.
      if (hash !== null && !(await (inStore ??= store.blobHashes())).has(hash)) hash = null;
      if (hash === null) {
        const stored = await storeFileAsBlob(store, entry.abs, entry.size, threads);
        ({ hash, size } = stored);
        if (stored.isNew) {
          newBytes += stored.size;
          newBlobs.add(hash);
        }
      }
      cache.remember(entry, hash);
      entries[index] = { type: 'file', path: entryPath, mode: entry.mode, size, mtimeMs: entry.mtimeMs, hash, ...owner };
      progress.advance(1, size);
    }
  };
  const order = bigFilesFirst(walked, ({ entry }) => entry.type === 'file' && goesToBlobThread(entry.size));
  try {
    await runPool(order, CONCURRENCY, (index) => storeEntry(index));
  } finally {
    await threads.close();
  }

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
