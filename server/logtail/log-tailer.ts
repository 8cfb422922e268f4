import type { LogFileConfig, LogsConfig } from '@/lib/config/logs-config';
import type { SignalSink } from '@/lib/defense/signals';
import type { Logger } from '../log';
import { FileFollower, type FollowerStatus } from './file-follower';
import { compileLineParser } from './log-patterns';

export interface TailedFileStatus extends FollowerStatus {
  format: LogFileConfig['format'];
  signals: number;
  /** Lines no pattern matched: a growing number on a busy log may mean a wrong format. */
  unmatchedLines: number;
}

interface Tailed {
  key: string;
  format: LogFileConfig['format'];
  follower: FileFollower;
  counts: { signals: number; unmatched: number };
}

export interface LogTailerOptions {
  sink: SignalSink;
  log: Logger;
}

/** Every configured log file, followed and turned into security signals. */
export class LogTailer {
  private readonly tailed = new Map<string, Tailed>();

  constructor(private readonly options: LogTailerOptions) {}

  /**
   * Applies a (re)loaded `logs:` section: files that left it are let go, new or changed
   * ones start. Resolves when every new file is positioned.
   */
  async configure(config: LogsConfig): Promise<void> {
    const wanted = new Map(config.files.map((file) => [file.path, { file, key: JSON.stringify([file, config.pollIntervalMs, config.maxLineBytes]) }]));
    const stopping: Promise<void>[] = [];
    for (const [file, tailed] of this.tailed) {
      if (wanted.get(file)?.key === tailed.key) continue;
      this.tailed.delete(file);
      stopping.push(tailed.follower.stop());
    }
    await Promise.all(stopping);
    const starting: Promise<void>[] = [];
    for (const [file, { file: fileConfig, key }] of wanted) {
      if (this.tailed.has(file)) continue;
      const tailed = this.follow(fileConfig, config, key);
      this.tailed.set(file, tailed);
      starting.push(tailed.follower.start());
    }
    await Promise.all(starting);
  }

  status(): TailedFileStatus[] {
    return [...this.tailed.values()].map(({ follower, format, counts }) => ({
      ...follower.status(),
      format,
      signals: counts.signals,
      unmatchedLines: counts.unmatched,
    }));
  }

  async stop(): Promise<void> {
    const all = [...this.tailed.values()];
    this.tailed.clear();
    await Promise.all(all.map((tailed) => tailed.follower.stop()));
  }

  private follow(file: LogFileConfig, config: LogsConfig, key: string): Tailed {
    const parse = compileLineParser(file);
    const origin = `log:${file.path}`;
    const counts = { signals: 0, unmatched: 0 };
    const onLine = (line: string) => {
      const signals = parse(line);
      if (signals.length === 0) counts.unmatched++;
      const at = Date.now();
      for (const signal of signals) {
        counts.signals++;
        try {
          this.options.sink({ ...signal, origin, at });
        } catch (error) {
          // A consumer's bug must not stop the reading of the log.
          this.options.log.error({ err: error, origin }, 'signal sink failed');
        }
      }
    };
    const follower = new FileFollower({
      path: file.path,
      fromStart: file.fromStart,
      maxLineBytes: config.maxLineBytes,
      pollIntervalMs: config.pollIntervalMs,
      onLine,
    });
    return { key, format: file.format, follower, counts };
  }
}
