/**
 * Where in its interval a module is probed: a stable offset from its name, so 2,000 modules at
 * 10 s are spread over the whole interval (one every 5 ms) instead of firing together, and keep
 * their place across restarts and reconciles.
 */
export function phaseOffsetMs(name: string, intervalMs: number): number {
  // FNV-1a: cheap and well spread over short, similar names such as api-1, api-2, …
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % Math.max(1, Math.round(intervalMs));
}

/** The module's first slot strictly after `after`: slots sit at phase + k × interval on the wall clock. */
export function nextSlotAt(name: string, intervalMs: number, after: number): number {
  const phase = phaseOffsetMs(name, intervalMs);
  return after - ((((after - phase) % intervalMs) + intervalMs) % intervalMs) + intervalMs;
}

/** The first probe after a start: within `spreadMs`, at the same stable place in it. */
export function firstProbeDelayMs(name: string, intervalMs: number, spreadMs = 5000): number {
  return phaseOffsetMs(name, Math.min(intervalMs, spreadMs));
}

/** Enough for thousands of loopback or LAN targets a second; a burst beyond it waits its turn. */
export const MAX_PROBES_IN_FLIGHT = 64;

/**
 * At most `limit` probes in flight: a burst (a restart, a reconcile, a backlog after a stall)
 * queues here instead of opening thousands of sockets and timers at once. A probe's timeout
 * starts when it leaves the queue, so waiting here is never blamed on the target.
 */
export class ProbeGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  get inFlight(): number {
    return this.running;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running += 1;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}
