import type { Stats } from 'node:fs';
import { lstat, readlink, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { Manifest, ManifestEntry } from '@/lib/recovery/snapshot-schema';
import { segmentProblem } from './manifest-rules';
import { RecoveryError } from './recovery-error';
import { RESTORE_WORK_PREFIX } from './tree-walk';

export const VIRTUAL_SOURCE_PREFIX = 'vigil:';

export interface RestoreRoot {
  source: string;
  /** Where the source's root lands: its own path, or <target>/<source> with --target. */
  dir: string;
  exclude: string[];
  /** Where restored files wait before they are renamed into place: same file system. */
  staging: string;
  rootType: ManifestEntry['type'];
  /** The real directory nothing of this restore may leave: --target, or the source's own directory. */
  anchor: string;
}

async function lstatOrNull(file: string): Promise<Stats | null> {
  try {
    return await lstat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * A --target that is a symlink is refused: it could be pointed elsewhere while the restore
 * runs, and the operator can name the real directory. A source restored in place may be
 * configured as a symlink (/srv/current); it is resolved once, here, and the restore works on
 * the real path from then on.
 */
async function anchorFor(targetDir: string | undefined, dir: string, rootType: ManifestEntry['type']): Promise<string> {
  if (targetDir !== undefined) {
    const target = path.resolve(targetDir);
    const stats = await lstatOrNull(target);
    if (stats?.isSymbolicLink())
      throw new RecoveryError('unsafe_path', `the restore target ${target} is a symlink (to ${await readlink(target)}); give the real directory`);
    if (stats && !stats.isDirectory()) throw new RecoveryError('bad_input', `the restore target ${target} is not a directory`);
    return realPathOf(target);
  }
  return realPathOf(rootType === 'dir' ? dir : path.dirname(dir));
}

/** The real path of `file`, or of its nearest existing ancestor with the missing rest appended. */
async function realPathOf(file: string): Promise<string> {
  if (await lstatOrNull(file)) return realpath(file);
  const parent = path.dirname(file);
  return parent === file ? file : path.join(await realPathOf(parent), path.basename(file));
}

export async function restoreRoots(manifest: Manifest, operationId: string, targetDir?: string): Promise<RestoreRoot[]> {
  const roots: RestoreRoot[] = [];
  for (const source of manifest.sources) {
    const isVirtual = source.path.startsWith(VIRTUAL_SOURCE_PREFIX);
    // Vigil's own state goes back into the database unless the operator asked for files.
    if (isVirtual && !targetDir) continue;
    const rootEntry = manifest.entries.find((entry) => entry.path === source.name);
    if (!rootEntry) throw new RecoveryError('corrupt', `the manifest has no root entry for source ${source.name}`);
    const anchor = await anchorFor(targetDir, targetDir ? path.resolve(targetDir, source.name) : source.path, rootEntry.type);
    const dir = targetDir ? path.join(anchor, source.name) : rootEntry.type === 'dir' ? anchor : path.join(anchor, path.basename(source.path));
    const staging =
      rootEntry.type === 'dir'
        ? path.join(dir, `${RESTORE_WORK_PREFIX}${operationId}`)
        : path.join(path.dirname(dir), `${RESTORE_WORK_PREFIX}${operationId}-${source.name}`);
    roots.push({ source: source.name, dir, exclude: source.exclude, staging, rootType: rootEntry.type, anchor });
  }
  return roots;
}

/** Splits `<source>/<rel>` and refuses anything that could land outside the source's root. */
export function destinationOf(entryPath: string, roots: ReadonlyMap<string, RestoreRoot>): { root: RestoreRoot; rel: string; dest: string } | null {
  const slash = entryPath.indexOf('/');
  const source = slash === -1 ? entryPath : entryPath.slice(0, slash);
  const rel = slash === -1 ? '' : entryPath.slice(slash + 1);
  const root = roots.get(source);
  if (!root) return null;
  const segments = rel === '' ? [] : rel.split('/');
  if (segments.some((segment) => segmentProblem(segment) !== null))
    throw new RecoveryError('unsafe_path', `manifest entry ${JSON.stringify(entryPath)} would escape the restore target`);
  const dest = path.join(root.dir, ...segments);
  if (dest !== root.dir && !dest.startsWith(root.dir + path.sep))
    throw new RecoveryError('unsafe_path', `manifest entry ${JSON.stringify(entryPath)} would escape the restore target`);
  return { root, rel, dest };
}
