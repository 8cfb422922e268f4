import type { FileState } from '@/lib/integrity/integrity-status';
import { RecoveryError, runPool, walkTree, type WalkedEntry } from '../recovery';
import { stateOfEntry } from './file-state';
import type { ScopeSet } from './scopes';

/** Enough reads in flight to keep libuv's four threads busy while the main thread hashes. */
const HASH_CONCURRENCY = 8;

export interface ScanResult {
  files: Map<string, FileState>;
  /** Could not be read (permissions, I/O): neither trusted nor reported, and retried next time. */
  unreadable: Set<string>;
  /** Directories that may hold watched files: where the realtime watch listens. */
  directories: string[];
  bytes: number;
}

async function walkRoot(root: string, exclude: string[]): Promise<WalkedEntry[]> {
  try {
    return (await walkTree(root, exclude)).entries;
  } catch (error) {
    // A root that does not exist holds no files; when it appears, its files are added ones.
    if (error instanceof RecoveryError && error.code === 'source_missing') return [];
    throw error;
  }
}

/** Walks every root and hashes every watched file (and symlink) under it. */
export async function scanScopes(scopes: ScopeSet): Promise<ScanResult> {
  const wanted = new Map<string, WalkedEntry>();
  const directories = new Set<string>();
  for (const scope of scopes.scopes) {
    for (const entry of await walkRoot(scope.root, scope.exclude)) {
      if (entry.type === 'dir') {
        if (scopes.reaches(entry.abs)) directories.add(entry.abs);
      } else if (scopes.covering(entry.abs).length > 0) wanted.set(entry.abs, entry);
    }
  }
  const files = new Map<string, FileState>();
  const unreadable = new Set<string>();
  let bytes = 0;
  await runPool([...wanted.values()], HASH_CONCURRENCY, async (entry) => {
    try {
      const state = await stateOfEntry(entry);
      if (!state) return;
      files.set(entry.abs, state);
      bytes += state.size;
    } catch {
      unreadable.add(entry.abs);
    }
  });
  return { files: new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1))), unreadable, directories: [...directories].sort(), bytes };
}
