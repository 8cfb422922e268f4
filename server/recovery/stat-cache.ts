import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from './fs-atomic';
import type { SnapshotStore } from './snapshot-store';
import type { WalkedEntry } from './tree-walk';

interface CachedStat {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  hash: string;
}

/**
 * restic's parent-snapshot trick: a file whose size, mtime, ctime and inode are unchanged
 * since the last snapshot keeps its hash without being read. ctime is in the key because
 * no user can set it, so a content change hidden behind a restored mtime still shows.
 */
export class StatCache {
  private constructor(
    private readonly file: string,
    private readonly previous: Map<string, CachedStat>,
    private readonly next = new Map<string, CachedStat>(),
  ) {}

  static async load(store: SnapshotStore): Promise<StatCache> {
    const file = path.join(store.cacheDir, 'stat-cache.json');
    let previous = new Map<string, CachedStat>();
    try {
      previous = new Map(Object.entries(JSON.parse(await readFile(file, 'utf8')) as Record<string, CachedStat>));
    } catch {
      // No cache or an unreadable one: everything is hashed, which is only slower.
    }
    return new StatCache(file, previous);
  }

  lookup(entry: WalkedEntry): string | null {
    const cached = this.previous.get(entry.abs);
    if (!cached) return null;
    const same = cached.size === entry.size && cached.mtimeMs === entry.mtimeMs && cached.ctimeMs === entry.ctimeMs && cached.ino === entry.ino;
    return same ? cached.hash : null;
  }

  remember(entry: WalkedEntry, hash: string): void {
    this.next.set(entry.abs, { size: entry.size, mtimeMs: entry.mtimeMs, ctimeMs: entry.ctimeMs, ino: entry.ino, hash });
  }

  async save(): Promise<void> {
    await writeFileAtomic(this.file, JSON.stringify(Object.fromEntries(this.next)));
  }
}
