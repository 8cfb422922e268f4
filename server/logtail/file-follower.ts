import { constants, watch, type FSWatcher, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { LineSplitter } from './line-splitter';

const READ_CHUNK = 64 * 1024;

export interface FollowerStatus {
  path: string;
  state: 'waiting' | 'following' | 'error';
  /** Byte offset of the next read in the current file. */
  position: number;
  lines: number;
  overlongLines: number;
  rotations: number;
  truncations: number;
  lastError: string | null;
}

export interface FileFollowerOptions {
  path: string;
  /** Read what the file holds when it is first seen at start; otherwise begin at its end. */
  fromStart: boolean;
  maxLineBytes: number;
  pollIntervalMs: number;
  onLine: (line: string) => void;
}

const isMissing = (error: unknown) => ['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '');

/**
 * Follows one log file the way `tail -F` and fail2ban do: by name, not by descriptor.
 * A watch on the directory wakes it at once for appends, renames and re-creation; the stat
 * poll catches what the watch misses (network file systems, a directory that does not
 * exist yet). Each wake-up compares the file at the path with the one held open:
 * another inode is a rotation (finish the old file, start the new one at 0), a smaller
 * size is a copytruncate (start again at 0).
 */
export class FileFollower {
  private handle: FileHandle | null = null;
  private identity = { ino: -1, dev: -1 };
  private position = 0;
  private atStart = true;
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly splitter: LineSplitter;
  private readonly buffer = Buffer.allocUnsafe(READ_CHUNK);
  private readonly counters = { lines: 0, rotations: 0, truncations: 0 };
  private lastError: string | null = null;

  constructor(private readonly options: FileFollowerOptions) {
    this.splitter = new LineSplitter(options.maxLineBytes, (line) => {
      this.counters.lines++;
      options.onLine(line);
    });
  }

  /** Resolves once the file (if present) is open and positioned: appends after this are seen. */
  start(): Promise<void> {
    this.timer = setInterval(() => this.poke(), this.options.pollIntervalMs);
    this.timer.unref();
    this.poke();
    return this.running ?? Promise.resolve();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.watcher?.close();
    this.watcher = null;
    await this.running;
    await this.closeHandle();
  }

  status(): FollowerStatus {
    return {
      path: this.options.path,
      state: this.lastError ? 'error' : this.handle ? 'following' : 'waiting',
      position: this.position,
      lines: this.counters.lines,
      overlongLines: this.splitter.overlong,
      rotations: this.counters.rotations,
      truncations: this.counters.truncations,
      lastError: this.lastError,
    };
  }

  /** Checks soon; calls that arrive during a check fold into one more pass. */
  poke(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => (this.running = null));
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.check();
        this.lastError = null;
      } catch (error) {
        this.lastError = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      }
    } while (this.again && !this.stopped);
  }

  private async check(): Promise<void> {
    this.ensureWatch();
    const current = await this.statPath();
    if (this.handle) {
      const replaced = !current || current.ino !== this.identity.ino || current.dev !== this.identity.dev;
      if (replaced) {
        // What the writer added before the rename is still in the old file: read it first.
        await this.readToEnd();
        this.splitter.flush();
        await this.closeHandle();
        this.counters.rotations++;
      } else if (current.size < this.position) {
        this.counters.truncations++;
        this.position = 0;
        this.splitter.reset();
      }
    }
    if (!this.handle && current) await this.openFile();
    this.atStart = false;
    if (this.handle) await this.readToEnd();
  }

  private async statPath(): Promise<Stats | null> {
    try {
      return await stat(this.options.path);
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  private async openFile(): Promise<void> {
    let handle: FileHandle;
    try {
      // Non-blocking: opening a FIFO for reading would otherwise wait for a writer and hold one of
      // libuv's few threads for good; a FIFO or a device is then refused below as not a regular file.
      handle = await open(this.options.path, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    // The identity comes from the open descriptor, so a rename between stat and open cannot mix two files.
    const stats = await handle.stat();
    if (!stats.isFile()) {
      await handle.close();
      throw new Error('not a regular file');
    }
    this.handle = handle;
    this.identity = { ino: stats.ino, dev: stats.dev };
    // A file that appears after start is new: all of it is news.
    this.position = this.atStart && !this.options.fromStart ? stats.size : 0;
    this.splitter.reset();
  }

  private async readToEnd(): Promise<void> {
    while (this.handle && !this.stopped) {
      const { bytesRead } = await this.handle.read(this.buffer, 0, READ_CHUNK, this.position);
      if (bytesRead === 0) return;
      this.position += bytesRead;
      this.splitter.push(this.buffer.subarray(0, bytesRead));
    }
  }

  private async closeHandle(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    await handle?.close().catch(() => undefined);
  }

  private ensureWatch(): void {
    if (this.watcher || this.stopped) return;
    const base = path.basename(this.options.path);
    try {
      this.watcher = watch(path.dirname(this.options.path), { persistent: false }, (_event, name) => {
        if (!name || name === base) this.poke();
      });
    } catch {
      // The directory does not exist (yet): the poll keeps looking and retries the watch.
      return;
    }
    this.watcher.on('error', () => {
      this.watcher?.close();
      this.watcher = null;
    });
  }
}
