import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { OffsiteRepositoryConfig } from '@/lib/config/offsite-config';
import type { OffsiteCopyView } from '@/lib/recovery/offsite-views';
import type { ProgressReporter } from '../progress';
import { RecoveryError } from '../recovery-error';
import type { RestoreResult } from '../restore-snapshot';
import type { SnapshotStore } from '../snapshot-store';
import { BUNDLE_PREFIX, importBundle, readBundle, type FetchedBundle } from './offsite-bundle';
import type { OffsiteFrame } from './offsite-frame';
import { replaceCopies } from './offsite-state';
import { parseSnapshotList, VIGIL_TAG } from './restic-output';
import { runRestic } from './restic-runner';

/**
 * Vigil's snapshots in one repository, newest first; the state file is brought in line with them.
 * Read without restic's lock: a listing must answer while a check or retention holds it.
 */
export async function listRepository(frame: OffsiteFrame, repo: OffsiteRepositoryConfig): Promise<OffsiteCopyView[]> {
  const stdout = await runRestic(frame.setup, { repo, action: `listing of ${repo.name}`, args: ['--no-lock', 'snapshots', '--json', '--tag', VIGIL_TAG] });
  const listed = parseSnapshotList(repo.name, stdout);
  await frame.state.update((state) => replaceCopies(state, repo.name, listed));
  const state = await frame.state.read();
  return state.copies.filter((c) => c.repo === repo.name).sort((a, b) => b.copiedAt.localeCompare(a.copiedAt));
}

export function pickCopy(copies: OffsiteCopyView[], ref: string, repo: string): OffsiteCopyView {
  const found = copies.find((c) => c.snapshotName === ref || c.snapshotId === ref || c.resticId === ref || c.resticId.startsWith(ref));
  if (!found) throw new RecoveryError('not_found', `off-site repository ${repo} holds no copy of ${JSON.stringify(ref)}`);
  return found;
}

/**
 * restic restores the bundle into a scratch directory inside the store (same file system, so
 * its blobs move into place by rename), then every blob is checked against the manifest.
 */
export async function fetchBundle(
  frame: OffsiteFrame,
  input: { store: SnapshotStore; repo: OffsiteRepositoryConfig; copy: OffsiteCopyView; progress: ProgressReporter; purpose: string },
): Promise<{ dir: string; fetched: FetchedBundle }> {
  const dir = path.join(input.store.tmpDir, `${BUNDLE_PREFIX}${input.purpose}-${randomUUID()}`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  input.progress.phase('download');
  try {
    await frame.restic({
      repo: input.repo,
      action: `${input.purpose} of ${input.copy.snapshotName}`,
      args: ['restore', input.copy.resticId, '--target', dir],
    });
    const fetched = await readBundle(dir, input.progress);
    if (fetched.header.id !== input.copy.snapshotId)
      throw new RecoveryError(
        'corrupt',
        `the off-site copy ${input.copy.resticId.slice(0, 8)} holds snapshot ${fetched.header.id}, not ${input.copy.snapshotId}`,
      );
    return { dir, fetched };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

export interface OffsiteRestoreInput {
  ref: string;
  from: string;
  targetDir?: string;
  mirror: boolean;
  dryRun: boolean;
  actor: string;
  reason: string;
}

/**
 * Brings a snapshot back from a repository into the local store (re-created when it was lost),
 * then restores it through the local restore: its journal, health gate and rollback. A copy
 * that fails its checks stops here, before any restore target is touched.
 */
export async function restoreFromOffsite(frame: OffsiteFrame, input: OffsiteRestoreInput): Promise<RestoreResult> {
  const repo = frame.repo(input.from);
  const header = await frame.run('offsite-fetch', input.ref, { actor: input.actor, repo }, async (store, progress) => {
    const copy = pickCopy(await listRepository(frame, repo), input.ref, repo.name);
    progress.rename(copy.snapshotName);
    const { dir, fetched } = await fetchBundle(frame, { store, repo, copy, progress, purpose: 'fetch' });
    try {
      if (fetched.problems.length > 0)
        throw new RecoveryError(
          'corrupt',
          `the copy of ${copy.snapshotName} in ${repo.name} is damaged (${fetched.problems.length} files, first ${fetched.problems[0].path}: ${fetched.problems[0].message}); nothing was changed`,
          fetched.problems,
        );
      await importBundle(store, dir, fetched);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    await frame.audit({
      type: 'snapshot.offsite_fetched',
      severity: 'info',
      actor: input.actor,
      action: `fetch snapshot ${copy.snapshotName} from ${repo.name}`,
      module: 'recovery',
      resource: `snapshot:${copy.snapshotName}`,
      method: 'restic',
      details: { id: copy.snapshotId, resticId: copy.resticId, repository: repo.name, manifestHash: fetched.header.manifestHash },
    });
    return { result: fetched.header, message: `fetched from ${repo.name}` };
  });
  return frame.deps.local.restore({ ...input, ref: header.id, reason: `${input.reason} (from off-site repository ${repo.name})` });
}
