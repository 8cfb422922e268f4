import type { Manifest, ManifestEntry } from '@/lib/recovery/snapshot-schema';
import { hashFile } from './blob-io';
import { runPool } from './pool';
import { VIRTUAL_SOURCE_PREFIX } from './restore-paths';
import { walkTree } from './tree-walk';

export interface DiffLine {
  path: string;
  change: 'added' | 'removed' | 'changed';
  /** Content hashes (files) or link targets, before and after; absent for directories. */
  before?: string;
  after?: string;
}

const identity = (entry: ManifestEntry): string => (entry.type === 'file' ? entry.hash : entry.type === 'symlink' ? `-> ${entry.target}` : 'dir');
const differs = (a: ManifestEntry, b: ManifestEntry) => a.type !== b.type || identity(a) !== identity(b) || a.mode !== b.mode;

/** What changed from `before` to `after`, path by path. */
export function diffManifests(before: readonly ManifestEntry[], after: readonly ManifestEntry[]): DiffLine[] {
  const old = new Map(before.map((entry) => [entry.path, entry]));
  const lines: DiffLine[] = [];
  for (const entry of after) {
    const previous = old.get(entry.path);
    old.delete(entry.path);
    if (!previous) lines.push({ path: entry.path, change: 'added', after: entry.type === 'dir' ? undefined : identity(entry) });
    else if (differs(previous, entry))
      lines.push({
        path: entry.path,
        change: 'changed',
        before: previous.type === 'dir' ? undefined : identity(previous),
        after: entry.type === 'dir' ? undefined : identity(entry),
      });
  }
  for (const entry of old.values()) lines.push({ path: entry.path, change: 'removed', before: entry.type === 'dir' ? undefined : identity(entry) });
  return lines.sort((a, b) => a.path.localeCompare(b.path));
}

/** The live tree of a snapshot's sources, as manifest entries, every file hashed. */
export async function liveEntries(manifest: Manifest): Promise<ManifestEntry[]> {
  const entries: ManifestEntry[] = [];
  for (const source of manifest.sources) {
    if (source.path.startsWith(VIRTUAL_SOURCE_PREFIX)) continue;
    const walked = await walkTree(source.path, source.exclude).catch(() => ({ entries: [] }));
    const files: ManifestEntry[] = [];
    for (const live of walked.entries) {
      const entryPath = live.rel ? `${source.name}/${live.rel}` : source.name;
      if (live.type === 'file') files.push({ type: 'file', path: entryPath, mode: live.mode, size: live.size, mtimeMs: live.mtimeMs, hash: '' });
      else if (live.type === 'symlink') entries.push({ type: 'symlink', path: entryPath, mode: live.mode, mtimeMs: live.mtimeMs, target: live.target ?? '' });
      else entries.push({ type: 'dir', path: entryPath, mode: live.mode, mtimeMs: live.mtimeMs });
    }
    await runPool(files, 4, async (file) => {
      if (file.type !== 'file') return;
      const abs = file.path === source.name ? source.path : `${source.path}/${file.path.slice(source.name.length + 1)}`;
      file.hash = (await hashFile(abs)).hash;
    });
    entries.push(...files);
  }
  return entries;
}
