import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { OffsiteRepositoryConfig } from '@/lib/config/offsite-config';
import type { OffsiteCopyView } from '@/lib/recovery/offsite-views';
import type { SnapshotHeader } from '@/lib/recovery/snapshot-schema';
import type { ProgressReporter } from '../progress';
import { RecoveryError } from '../recovery-error';
import type { SnapshotStore } from '../snapshot-store';
import { BUNDLE_PREFIX, buildBundle } from './offsite-bundle';
import { repoState, sameResticId } from './offsite-state';
import type { OffsiteFrame } from './offsite-frame';
import { idTag, nameTag, parseBackupLine, VIGIL_TAG } from './restic-output';

/** Turns restic's running totals into the reporter's increments. */
function uploadProgress(progress: ProgressReporter, totals: { files: number; bytes: number }) {
  progress.phase('upload', totals);
  let files = 0;
  let bytes = 0;
  let snapshotId: string | null = null;
  return {
    onLine(line: string) {
      const parsed = parseBackupLine(line);
      if (parsed?.kind === 'summary') snapshotId = parsed.snapshotId;
      if (parsed?.kind !== 'status') return;
      const doneFiles = parsed.status.files_done ?? files;
      const doneBytes = parsed.status.bytes_done ?? bytes;
      progress.advance(Math.max(0, doneFiles - files), Math.max(0, doneBytes - bytes));
      files = Math.max(files, doneFiles);
      bytes = Math.max(bytes, doneBytes);
    },
    snapshotId: () => snapshotId,
  };
}

/** One snapshot into one repository, under the store lock the frame holds. */
export async function copyLocked(
  frame: OffsiteFrame,
  input: { store: SnapshotStore; header: SnapshotHeader; repo: OffsiteRepositoryConfig; actor: string; progress: ProgressReporter },
): Promise<OffsiteCopyView> {
  const { store, header, repo, progress } = input;
  const started = performance.now();
  // A stable directory name: restic then files every copy under one path.
  const dir = path.join(store.tmpDir, `${BUNDLE_PREFIX}copy`);
  // Emptied first: one round copies several snapshots, and each bundle must hold only its own.
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const totals = await buildBundle(store, header, dir);
  const upload = uploadProgress(progress, totals);
  const tags = [VIGIL_TAG, idTag(header.id), nameTag(header.name), ...header.tags];
  await frame.restic({
    repo,
    action: `copy of ${header.name}`,
    cwd: dir,
    args: ['backup', '--json', ...tags.flatMap((tag) => ['--tag', tag]), '.'],
    onLine: upload.onLine,
  });
  const resticId = upload.snapshotId();
  if (!resticId) throw new RecoveryError('offsite_failed', `copy of ${header.name} to ${repo.name}: restic did not report the snapshot it made`);
  const copy: OffsiteCopyView = {
    repo: repo.name,
    snapshotId: header.id,
    snapshotName: header.name,
    resticId,
    copiedAt: new Date().toISOString(),
    verifiedAt: null,
    verifyOk: null,
  };
  await frame.state.update((state) => {
    state.copies = [...state.copies.filter((c) => !(c.repo === repo.name && sameResticId(c.resticId, resticId))), copy];
    const repoNow = repoState(state, repo.name);
    repoNow.lastCopyAt = copy.copiedAt;
    repoNow.lastError = null;
  });
  await frame.audit({
    type: 'snapshot.offsite_copied',
    severity: 'info',
    actor: input.actor,
    action: `copy snapshot ${header.name} to ${repo.name}`,
    module: 'recovery',
    resource: `snapshot:${header.name}`,
    method: 'restic',
    details: {
      id: header.id,
      manifestHash: header.manifestHash,
      repository: repo.name,
      resticId,
      blobs: totals.files,
      bytes: totals.bytes,
      durationMs: Math.round(performance.now() - started),
    },
  });
  return copy;
}

export async function copySnapshot(frame: OffsiteFrame, input: { ref: string; to: string; actor: string }): Promise<OffsiteCopyView> {
  const repo = frame.repo(input.to);
  return frame.run('offsite-copy', input.ref, { actor: input.actor, repo }, async (store, progress) => {
    const header = await store.find(input.ref);
    progress.rename(header.name);
    const copy = await copyLocked(frame, { store, header, repo, actor: input.actor, progress });
    return { result: copy, message: `copied to ${repo.name}` };
  });
}

/**
 * Every local snapshot this repository does not hold yet, oldest first; `only` narrows it (a new
 * golden snapshot). One failure stops this repository's round: the next one retries.
 */
export async function copyMissing(
  frame: OffsiteFrame,
  input: { repo: OffsiteRepositoryConfig; actor: string; only?: (header: SnapshotHeader) => boolean },
): Promise<OffsiteCopyView[]> {
  const { repo } = input;
  return frame.run('offsite-copy', `pending to ${repo.name}`, { actor: input.actor, repo }, async (store, progress) => {
    const held = new Set((await frame.state.read()).copies.filter((c) => c.repo === repo.name).map((c) => c.snapshotId));
    const pending = (await store.list()).filter((h) => !held.has(h.id) && (input.only?.(h) ?? true)).reverse();
    const copies: OffsiteCopyView[] = [];
    for (const header of pending) copies.push(await copyLocked(frame, { store, header, repo, actor: input.actor, progress }));
    await frame.state.update((state) => void (repoState(state, repo.name).lastCopyAt = new Date().toISOString()));
    return { result: copies, message: `${copies.length} copied to ${repo.name}` };
  });
}
