import { readFile } from 'node:fs/promises';
import os from 'node:os';

/** Linux reports CPU time in clock ticks; USER_HZ is 100 on every mainstream architecture. */
const TICKS_PER_SECOND = 100;

export interface ProcessUsage {
  cpuPercent: number;
  memoryPercent: number;
  rssBytes: number;
}

interface Reading {
  ticks: number;
  at: number;
}

/**
 * CPU (of one core) and memory (of the host) of one process from /proc, and how long they
 * have been over the module's limits: "CPU > 90 % or memory > 95 % for > 2 min", the exhaustion rule of the health score.
 */
export class UsageTracker {
  private previous: Reading | null = null;
  private overSince: number | null = null;

  async sample(pid: number, at: number): Promise<ProcessUsage | null> {
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      // The command name may contain spaces and parentheses: fields start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      const rssPages = Number(fields[21]);
      const previous = this.previous;
      this.previous = { ticks, at };
      const cpuPercent = previous && at > previous.at ? ((ticks - previous.ticks) / TICKS_PER_SECOND / ((at - previous.at) / 1000)) * 100 : 0;
      const rssBytes = rssPages * 4096;
      return { cpuPercent: Math.max(0, cpuPercent), memoryPercent: (rssBytes / os.totalmem()) * 100, rssBytes };
    } catch {
      this.previous = null;
      return null;
    }
  }

  /** Milliseconds the usage has stayed over a limit (0 when it is under). */
  overFor(usage: ProcessUsage, limits: { cpuPercent: number; memoryPercent: number }, at: number): number {
    const over = usage.cpuPercent > limits.cpuPercent || usage.memoryPercent > limits.memoryPercent;
    if (!over) {
      this.overSince = null;
      return 0;
    }
    this.overSince ??= at;
    return at - this.overSince;
  }

  /** Over a limit at the last sample, however briefly. */
  get isOver(): boolean {
    return this.overSince !== null;
  }

  reset(): void {
    this.previous = null;
    this.overSince = null;
  }
}
