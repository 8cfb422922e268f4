import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** A tick this much later than planned means the worker itself could not run: 300 ms is ten times a busy loop's usual lag. */
export const STARVED_LAG_MS = 300;
/** A probe that starts this much after its slot ran in a backlog: its timeout says more about Vigil than the target. */
export const STARVED_LATE_START_MS = 1000;
const TICK_MS = 100;
/** Stalls are kept this long: longer than any probe's timeout window that may still ask about them. */
const KEEP_MS = 10 * 60_000;

interface Stall {
  from: number;
  to: number;
}

/**
 * Knows when Vigil's own event loop was starved: a timer planned every 100 ms notes each stall
 * (from when it was due to when it ran), so a probe can ask whether its own window overlapped
 * one. perf_hooks' event-loop-delay histogram adds the percentiles for /metrics.
 */
export class StarvationMonitor {
  private readonly stalls: Stall[] = [];
  private readonly histogram: IntervalHistogram;
  private timer: NodeJS.Timeout | null = null;
  private lastTickAt = Date.now();

  constructor(private readonly thresholdMs = STARVED_LAG_MS) {
    this.histogram = monitorEventLoopDelay({ resolution: 20 });
  }

  start(): void {
    if (this.timer) return;
    this.histogram.enable();
    this.lastTickAt = Date.now();
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.histogram.disable();
  }

  private tick(now = Date.now()): void {
    const lag = now - this.lastTickAt - TICK_MS;
    if (lag > this.thresholdMs) {
      this.stalls.push({ from: this.lastTickAt + TICK_MS, to: now });
      while (this.stalls.length > 0 && this.stalls[0].to < now - KEEP_MS) this.stalls.shift();
    }
    this.lastTickAt = now;
  }

  /**
   * The longest stall that overlapped [from, to], in ms. A stall still under way counts too: when
   * the loop resumes, timers that expired meanwhile (a probe's timeout) run before this monitor's.
   */
  stalledWithin(from: number, to = Date.now()): number {
    let longest = Math.max(0, Date.now() - this.lastTickAt - TICK_MS);
    if (longest <= this.thresholdMs || this.lastTickAt + TICK_MS > to) longest = 0;
    for (let i = this.stalls.length - 1; i >= 0; i--) {
      const stall = this.stalls[i];
      if (stall.to < from) break;
      if (stall.from <= to) longest = Math.max(longest, stall.to - stall.from);
    }
    return longest;
  }

  /** Event-loop delay p99 since the last call, in ms, then starts a new window. */
  takeLagP99(): number {
    const p99 = this.histogram.count > 0 ? this.histogram.percentile(99) / 1e6 : 0;
    this.histogram.reset();
    return p99;
  }
}
