import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';

export interface TreeWatcherOptions {
  debounceMs: number;
  /** inotify watches are a per-user kernel budget shared with every other program. */
  maxDirectories: number;
  /** Called with the absolute paths touched since the last call, once things are quiet. */
  onChanges: (paths: Set<string>) => void;
  /**
   * Whether a touched path can matter. A file root is watched through its parent directory,
   * which may be busy with other files (the data directory, say): those never wake a check.
   */
  relevant: (abs: string) => boolean;
}

/**
 * One non-recursive watch per directory. On Linux, Node 20 emulates `recursive: true` by
 * walking and watching the whole tree itself, node_modules included; watching only the
 * directories that can hold watched files keeps excluded trees out and costs nothing at idle.
 */
export class TreeWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private firstPendingAt = 0;
  private overflow = false;
  private closed = false;

  constructor(private readonly options: TreeWatcherOptions) {}

  /** Watches exactly these directories from now on. */
  sync(directories: Iterable<string>): void {
    const wanted = new Set(directories);
    for (const [dir, watcher] of this.watchers) {
      if (wanted.has(dir)) continue;
      watcher.close();
      this.watchers.delete(dir);
    }
    this.add(wanted);
  }

  /** Adds directories (a new one was created, say) without dropping others. */
  add(directories: Iterable<string>): void {
    for (const dir of directories) {
      if (this.closed || this.watchers.has(dir)) continue;
      if (this.watchers.size >= this.options.maxDirectories) {
        this.overflow = true;
        return;
      }
      try {
        const watcher = watch(dir, { persistent: false }, (_event, name) => this.touched(name ? path.join(dir, name.toString()) : dir));
        watcher.on('error', () => this.drop(dir));
        this.watchers.set(dir, watcher);
      } catch {
        // Gone or unreadable: the scheduled scan still covers it.
      }
    }
  }

  status(): { active: boolean; directories: number; note: string | null } {
    const note = this.overflow ? `only ${this.options.maxDirectories} directories are watched in real time; the rest rely on scheduled scans` : null;
    return { active: !this.closed && this.watchers.size > 0, directories: this.watchers.size, note };
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }

  private drop(dir: string): void {
    this.watchers.get(dir)?.close();
    this.watchers.delete(dir);
    this.touched(dir);
  }

  private touched(abs: string): void {
    if (this.closed || !this.options.relevant(abs)) return;
    if (this.pending.size === 0) this.firstPendingAt = Date.now();
    this.pending.add(abs);
    if (this.timer) clearTimeout(this.timer);
    // A steady stream of writes must not postpone the check for ever.
    const wait = Date.now() - this.firstPendingAt > this.options.debounceMs * 10 ? 0 : this.options.debounceMs;
    this.timer = setTimeout(() => {
      this.timer = null;
      const paths = this.pending;
      this.pending = new Set();
      this.options.onChanges(paths);
    }, wait);
    this.timer.unref();
  }
}
