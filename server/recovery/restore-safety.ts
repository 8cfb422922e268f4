import { lstatSync } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { assertConfinedNow, confinedRemove, newConfineCache } from './confined-fs';
import { timeSlicer } from './pool';
import { RecoveryError } from './recovery-error';
import { opPaths, type RestoreJournal, type RestoreOp } from './restore-journal-schema';
import type { RestoreRoot } from './restore-paths';
import { RESTORE_WORK_PREFIX } from './tree-walk';

const CHECK_SLICE_MS = 4;

function lstatOrNull(file: string) {
  try {
    return lstatSync(file, { throwIfNoEntry: false }) ?? null;
  } catch {
    return null;
  }
}

/** An op's name in an error, made only if one is thrown: the check runs for every path of every op. */
class OpLabel {
  constructor(private readonly op: RestoreOp) {}

  toString(): string {
    return this.op.kind === 'write' ? `manifest entry ${JSON.stringify(this.op.entry.path)}` : this.op.dest;
  }
}

/**
 * Checked before the first change and again right after the stop hook: every path the restore
 * will touch must be reachable from its anchor through real directories only, except beneath
 * directories the restore itself recreates first. Anything else (a directory swapped for a
 * symlink, a root that is a symlink) refuses the whole restore while nothing has changed yet.
 */
export async function assertRestoreConfined({ roots, ops }: Pick<RestoreJournal, 'roots' | 'ops'>): Promise<void> {
  const anchors = roots.map((root) => root.anchor);
  const replaced = new Set(ops.filter((op) => op.kind === 'mkdir').map((op) => op.dest));
  const cache = newConfineCache();
  for (const root of roots) assertConfinedNow(root.staging, anchors, { label: `source ${root.source}`, cache });
  // Synchronous checks, mostly answered by the cache (paths share their directories), in slices
  // the event loop runs between.
  const slice = timeSlicer(CHECK_SLICE_MS);
  for (const op of ops) {
    await slice();
    const label = new OpLabel(op);
    for (const file of opPaths(op)) assertConfinedNow(file, anchors, { replaced, label, cache });
    // A directory whose mode and times are restored in place must still be that directory.
    if (op.kind === 'meta' && op.isDir && op.original && !replaced.has(op.dest)) {
      const stats = lstatOrNull(op.dest);
      if (stats && !stats.isDirectory())
        throw new RecoveryError(
          'unsafe_path',
          `${op.dest}: was a directory when the restore was planned and is now ${stats.isSymbolicLink() ? 'a symlink' : 'something else'}`,
        );
    }
  }
}

const STAGING_NAME = new RegExp(`^${RESTORE_WORK_PREFIX.replace(/[.]/g, '\\.')}[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(-.+)?$`);

/**
 * Staging areas left in a restore's roots by an earlier restore that was killed and has since
 * been settled (no journal names them any more): removed before this restore stages its own.
 */
export async function sweepStaleStaging(roots: readonly RestoreRoot[]): Promise<string[]> {
  const anchors = roots.map((root) => root.anchor);
  const removed: string[] = [];
  for (const root of roots) {
    const dir = root.rootType === 'dir' ? root.dir : path.dirname(root.dir);
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names.filter((n) => STAGING_NAME.test(n))) {
      const stale = path.join(dir, name);
      if (stale === root.staging || !(await lstat(stale)).isDirectory()) continue;
      await confinedRemove(stale, anchors);
      removed.push(stale);
    }
  }
  return removed;
}
