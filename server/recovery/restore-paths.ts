import path from 'node:path';
import type { Manifest, ManifestEntry } from '@/lib/recovery/snapshot-schema';
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
}

export function restoreRoots(manifest: Manifest, operationId: string, targetDir?: string): RestoreRoot[] {
  const roots: RestoreRoot[] = [];
  for (const source of manifest.sources) {
    const isVirtual = source.path.startsWith(VIRTUAL_SOURCE_PREFIX);
    // Vigil's own state goes back into the database unless the operator asked for files.
    if (isVirtual && !targetDir) continue;
    const dir = targetDir ? path.resolve(targetDir, source.name) : source.path;
    const rootEntry = manifest.entries.find((entry) => entry.path === source.name);
    if (!rootEntry) throw new RecoveryError('corrupt', `the manifest has no root entry for source ${source.name}`);
    const staging = rootEntry.type === 'dir' ? path.join(dir, `${RESTORE_WORK_PREFIX}${operationId}`) : path.join(path.dirname(dir), `${RESTORE_WORK_PREFIX}${operationId}-${source.name}`);
    roots.push({ source: source.name, dir, exclude: source.exclude, staging, rootType: rootEntry.type });
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
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..' || segment.includes('\0')) || path.isAbsolute(rel)) {
    throw new RecoveryError('unsafe-path', `manifest entry ${JSON.stringify(entryPath)} would escape the restore target`);
  }
  const dest = path.join(root.dir, ...segments);
  if (dest !== root.dir && !dest.startsWith(root.dir + path.sep)) throw new RecoveryError('unsafe-path', `manifest entry ${JSON.stringify(entryPath)} would escape the restore target`);
  return { root, rel, dest };
}

/** A restored symlink may point anywhere inside its source, never out of it. */
export function assertSymlinkStaysInside(entryPath: string, target: string, dest: string, root: RestoreRoot): void {
  const resolved = path.resolve(path.dirname(dest), target);
  const inside = resolved === root.dir || resolved.startsWith(root.dir + path.sep);
  if (path.isAbsolute(target) || !inside) {
    throw new RecoveryError('unsafe-path', `manifest entry ${JSON.stringify(entryPath)} is a symlink pointing outside the restore target (${target})`);
  }
}
