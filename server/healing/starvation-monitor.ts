/** A stall this long means the worker itself could not run: ten times a busy loop's usual lag. */
export const STARVED_LAG_MS = 300;
/** A probe that starts this much after its slot ran in a backlog: its timeout says more about Vigil than the target. */
export const STARVED_LATE_START_MS = 1000;
/** Fine enough to catch the few tens of ms a burst of answers holds the loop: a 100 ms tick misses most of them. */
const TICK_MS = 20;
/** Ten minutes of ticks: longer than any probe's timeout window that may still ask about them. */
const KEEP_TICKS = 30_000;

/**
 * Knows when Vigil's own event loop was held up: a timer planned every 20 ms notes how late
 * each tick ran, so a probe can ask how long the loop stalled while it was out (its measured
 * latency includes that wait, and its timeout may have fired over an answer left unread).
 * The percentiles of the same lag are on /metrics already (prom-client's event-loop-lag gauges).
 */
export class StarvationMonitor {
  /** Ring of ticks: when each ran and how late; a stall covers [at - lag, at]. */
  private readonly tickAt = new Float64Array(KEEP_TICKS);
  private readonly tickLag = new Float64Array(KEEP_TICKS);
  private ticks = 0;
  private timer: NodeJS.Timeout | null = null;
  private lastTickAt = Date.now();

  constructor(readonly starvedLagMs = STARVED_LAG_MS) {}

  start(): void {
    if (this.timer) return;
    this.lastTickAt = Date.now();
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  running(): boolean {
    return this.timer !== null;
  }

  private tick(now = Date.now()): void {
    const at = this.ticks++ % KEEP_TICKS;
    this.tickAt[at] = now;
    this.tickLag[at] = Math.max(0, now - this.lastTickAt - TICK_MS);
    this.lastTickAt = now;
  }

  /**
   * The longest stall of the loop that overlapped [from, to], in ms. A stall still under way
   * counts too: when the loop resumes, timers that expired meanwhile (a probe's timeout) run
   * before this monitor's tick.
   */
  lagWithin(from: number, to = Date.now()): number {
    const ongoingFrom = this.lastTickAt + TICK_MS;
    let longest = ongoingFrom <= to ? Math.max(0, Date.now() - ongoingFrom) : 0;
    for (let i = this.ticks - 1; i >= Math.max(0, this.ticks - KEEP_TICKS); i--) {
      const at = this.tickAt[i % KEEP_TICKS];
      if (at < from) break;
      const lag = this.tickLag[i % KEEP_TICKS];
      if (at - lag <= to) longest = Math.max(longest, lag);
    }
    return longest;
  }
}
