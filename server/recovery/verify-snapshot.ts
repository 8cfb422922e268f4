import type { FileEntry, Manifest, SnapshotHeader, VerificationSummary } from '@/lib/recovery/snapshot-schema';
import { checkBlob } from './blob-io';
import { runPool } from './pool';
import type { ProgressReporter } from './progress';
import { RecoveryError } from './recovery-error';
import type { SnapshotStore } from './snapshot-store';

const CONCURRENCY = 4;

export type BlobProblem = VerificationSummary['problems'][number];

/** One check per distinct blob, however many files share it; problems name every path. */
export async function verifyBlobs(store: SnapshotStore, files: readonly FileEntry[], progress: ProgressReporter): Promise<BlobProblem[]> {
  const byHash = new Map<string, FileEntry[]>();
  for (const file of files) byHash.set(file.hash, [...(byHash.get(file.hash) ?? []), file]);
  const unique = [...byHash.values()].map((group) => group[0]);
  progress.phase('verify', { files: unique.length, bytes: unique.reduce((sum, f) => sum + f.size, 0) });
  const problems: BlobProblem[] = [];
  await runPool(unique, CONCURRENCY, async (file) => {
    const problem = await checkBlob(store, file);
    if (problem) {
      for (const owner of byHash.get(file.hash) ?? []) {
        problems.push({
          path: owner.path,
          hash: file.hash,
          problem,
          message: problem === 'missing' ? `blob ${file.hash.slice(0, 12)} is missing` : `blob ${file.hash.slice(0, 12)} does not match its hash`,
        });
      }
    }
    progress.advance(1, file.size);
  });
  return problems.sort((a, b) => a.path.localeCompare(b.path));
}

export interface VerifyResult {
  header: SnapshotHeader;
  summary: VerificationSummary;
  manifest: Manifest | null;
}

/** Re-hashes everything the snapshot references and records the outcome in its header. */
export async function verifySnapshot({ store, ref, progress }: { store: SnapshotStore; ref: string; progress: ProgressReporter }): Promise<VerifyResult> {
  const header = await store.find(ref);
  progress.rename(header.name);
  let manifest: Manifest | null = null;
  let problems: BlobProblem[];
  try {
    manifest = await store.readManifest(header.manifestHash);
    problems = await verifyBlobs(
      store,
      manifest.entries.filter((e): e is FileEntry => e.type === 'file'),
      progress,
    );
  } catch (error) {
    if (!(error instanceof RecoveryError) || error.code !== 'corrupt') throw error;
    problems = [{ path: '(manifest)', hash: header.manifestHash, problem: 'manifest', message: error.message }];
  }
  const summary: VerificationSummary = {
    at: new Date().toISOString(),
    ok: problems.length === 0,
    files: header.files,
    bytes: header.bytes,
    problems: problems.slice(0, 1000),
  };
  const updated = { ...header, lastVerification: summary };
  await store.writeHeader(updated);
  return { header: updated, summary, manifest };
}
