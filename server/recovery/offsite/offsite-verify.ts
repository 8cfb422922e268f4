import { rm } from 'node:fs/promises';
import type { OffsiteRepositoryConfig } from '@/lib/config/offsite-config';
import type { OffsiteCheckResultView, OffsiteForgetView } from '@/lib/recovery/offsite-views';
import { RecoveryError } from '../recovery-error';
import type { OffsiteFrame } from './offsite-frame';
import { fetchBundle, listRepository } from './offsite-restore';
import { repoState, sameResticId } from './offsite-state';
import { parseForget, VIGIL_TAG } from './restic-output';

/**
 * `restic check` reading a subset of the data, then the newest copy restored into a scratch
 * directory and every file compared with the manifest it was copied with.
 */
export async function checkRepository(frame: OffsiteFrame, input: { repo: string; actor: string; readDataSubset?: string }): Promise<OffsiteCheckResultView> {
  const repo = frame.repo(input.repo);
  const subset = input.readDataSubset ?? repo.schedule.readDataSubset;
  return frame.run('offsite-check', repo.name, { actor: input.actor, repo }, async (store, progress) => {
    progress.phase('check');
    // Locks a killed copy left behind would stop check (it locks exclusively); unlock removes only stale ones.
    await frame.restic({ repo, action: `unlock of ${repo.name}`, args: ['unlock'] });
    await frame.restic({ repo, action: `check of ${repo.name}`, args: ['check', `--read-data-subset=${subset}`] });
    const [newest] = await listRepository(frame, repo);
    let restoreTest: OffsiteCheckResultView['restoreTest'] = null;
    if (newest) {
      const { dir, fetched } = await fetchBundle(frame, { store, repo, copy: newest, progress, purpose: 'check' });
      await rm(dir, { recursive: true, force: true });
      restoreTest = {
        snapshotName: newest.snapshotName,
        files: fetched.manifest.entries.filter((e) => e.type === 'file').length,
        problems: fetched.problems.length,
      };
    }
    const ok = restoreTest === null || restoreTest.problems === 0;
    const at = new Date().toISOString();
    const message = ok
      ? `restic check (${subset} of the data) passed${restoreTest ? `; ${restoreTest.snapshotName} restored and matched its manifest (${restoreTest.files} files)` : ''}`
      : `${restoreTest?.snapshotName} restored with ${restoreTest?.problems} files that do not match its manifest`;
    await frame.state.update((state) => {
      const repoNow = repoState(state, repo.name);
      repoNow.lastCheck = { at, ok, message };
      if (ok) repoNow.lastError = null;
      else repoNow.lastError = { at, ok, message };
      for (const copy of state.copies)
        if (copy.repo === repo.name && newest && sameResticId(copy.resticId, newest.resticId)) Object.assign(copy, { verifiedAt: at, verifyOk: ok });
    });
    await frame.audit({
      type: ok ? 'snapshot.offsite_checked' : 'snapshot.offsite_check_failed',
      severity: ok ? 'info' : 'high',
      actor: input.actor,
      action: `check off-site repository ${repo.name}`,
      module: 'recovery',
      resource: `offsite:${repo.name}`,
      method: 'restic',
      details: { repository: repo.name, readDataSubset: subset, ok, restoreTest },
    });
    return { result: { repo: repo.name, ok, message, restoreTest }, message, ok };
  });
}

const keepArgs = (keep: NonNullable<OffsiteRepositoryConfig['keep']>): string[] =>
  Object.entries(keep).flatMap(([period, count]) => (count === undefined ? [] : [`--keep-${period}`, String(count)]));

/**
 * The repository's retention: always computed with --dry-run first (what the console and the
 * CLI show), then applied with --prune unless only the plan was asked for.
 */
export async function forgetInRepository(frame: OffsiteFrame, input: { repo: string; dryRun: boolean; actor: string }): Promise<OffsiteForgetView> {
  const repo = frame.repo(input.repo);
  const keep = repo.keep;
  if (!keep) throw new RecoveryError('bad_input', `off-site repository ${repo.name} has no retention policy (keep) configured`);
  return frame.run<OffsiteForgetView>('offsite-forget', repo.name, { actor: input.actor, repo }, async (_store, progress) => {
    progress.phase('forget');
    // Grouped by host alone: every Vigil copy is one series, whatever directory it was bundled in.
    const base = ['forget', '--json', '--tag', VIGIL_TAG, '--group-by', 'host', ...keepArgs(keep)];
    const planned = parseForget(repo.name, await frame.restic({ repo, action: `retention plan of ${repo.name}`, args: [...base, '--dry-run'] }));
    if (input.dryRun || planned.remove.length === 0)
      return { result: { repo: repo.name, dryRun: input.dryRun, ...planned }, message: `${planned.remove.length} would go` };
    await frame.restic({ repo, action: `unlock of ${repo.name}`, args: ['unlock'] });
    const done = parseForget(repo.name, await frame.restic({ repo, action: `retention of ${repo.name}`, args: [...base, '--prune'] }));
    await frame.state.update((state) => {
      state.copies = state.copies.filter((c) => !(c.repo === repo.name && done.remove.some((r) => sameResticId(r.resticId, c.resticId))));
      repoState(state, repo.name).lastForgetAt = new Date().toISOString();
    });
    await frame.audit({
      type: 'snapshot.offsite_forgotten',
      severity: 'info',
      actor: input.actor,
      action: `apply retention to ${repo.name}`,
      module: 'recovery',
      resource: `offsite:${repo.name}`,
      method: 'restic',
      details: { repository: repo.name, keep, removed: done.remove.map((c) => c.snapshotName), kept: done.keep.length },
    });
    return { result: { repo: repo.name, dryRun: false, ...done }, message: `${done.remove.length} removed` };
  });
}
