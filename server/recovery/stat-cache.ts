import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from './fs-atomic';
import type { SnapshotStore } from './snapshot-store';
import type { WalkedEntry } from './tree-walk';

/**
 * Binary layout, one record per file, so loading it makes one string (the path) per file and
 * no object: 'VSC1', then per record u32 path length, the path (UTF-8), f64 size, mtimeMs,
 * ctimeMs, ino, and the 32 bytes of the SHA-256. JSON of the same records made five objects
 * and two strings per file, most of an unchanged re-snapshot's garbage collection.
 */
const MAGIC = 'VSC1';
/** What follows a record's path: four doubles, then the hash. */
const HASH_AT = 4 * 8;
const TAIL = HASH_AT + 32;

/**
 * restic's parent-snapshot trick: a file whose size, mtime, ctime and inode are unchanged
 * since the last snapshot keeps its hash without being read. ctime is in the key because
 * no user can set it, so a content change hidden behind a restored mtime still shows.
 */
export class StatCache {
  private readonly next: Buffer[] = [];

  private constructor(
    private readonly file: string,
    private readonly data: Buffer,
    /** Path → offset in `data` of what follows that record's path. */
    private readonly previous: Map<string, number>,
  ) {}

  static async load(store: SnapshotStore): Promise<StatCache> {
    const file = path.join(store.cacheDir, 'stat-cache.bin');
    let data = Buffer.alloc(0);
    const previous = new Map<string, number>();
    try {
      data = await readFile(file);
      if (data.toString('latin1', 0, 4) !== MAGIC) throw new Error('not a stat cache');
      for (let at = 4; at < data.length;) {
        const length = data.readUInt32LE(at);
        const end = at + 4 + length;
        if (end + TAIL > data.length) throw new Error('truncated');
        previous.set(data.toString('utf8', at + 4, end), end);
        at = end + TAIL;
      }
    } catch {
      // No cache or an unreadable one: everything is hashed, which is only slower.
      previous.clear();
    }
    return new StatCache(file, data, previous);
  }

  lookup(entry: WalkedEntry): string | null {
    const at = this.previous.get(entry.abs);
    if (at === undefined) return null;
    const { data } = this;
    const same =
      data.readDoubleLE(at) === entry.size &&
      data.readDoubleLE(at + 8) === entry.mtimeMs &&
      data.readDoubleLE(at + 16) === entry.ctimeMs &&
      data.readDoubleLE(at + 24) === entry.ino;
    return same ? data.toString('hex', at + HASH_AT, at + TAIL) : null;
  }

  remember(entry: WalkedEntry, hash: string): void {
    const length = Buffer.byteLength(entry.abs);
    const record = Buffer.allocUnsafe(4 + length + TAIL);
    record.writeUInt32LE(length, 0);
    record.write(entry.abs, 4, 'utf8');
    const at = 4 + length;
    record.writeDoubleLE(entry.size, at);
    record.writeDoubleLE(entry.mtimeMs, at + 8);
    record.writeDoubleLE(entry.ctimeMs, at + 16);
    record.writeDoubleLE(entry.ino, at + 24);
    record.write(hash, at + HASH_AT, 'hex');
    this.next.push(record);
  }

  /** Written only when it changed: an unchanged tree's re-snapshot leaves it as it was loaded. */
  async save(): Promise<void> {
    const bytes = Buffer.concat([Buffer.from(MAGIC, 'latin1'), ...this.next]);
    if (!bytes.equals(this.data)) await writeFileAtomic(this.file, bytes);
  }
}
