import type { FleetHostsChanged } from '@/lib/fleet/host-status';

/** Many agents beat every few seconds: the browsers hear at most one event per interval, naming every host that changed in it. */
const DEFAULT_INTERVAL_MS = 1000;

/**
 * Gathers changed host ids and announces them together. Called after the row was written, so a
 * page that refetches on the event reads the new state.
 */
export class HostChangeFeed {
  private readonly pending = new Set<number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly emit: (change: FleetHostsChanged) => void,
    private readonly intervalMs = DEFAULT_INTERVAL_MS,
  ) {}

  changed(hostId: number): void {
    this.pending.add(hostId);
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending.clear();
  }

  private flush(): void {
    this.timer = null;
    const hostIds = [...this.pending].sort((a, b) => a - b);
    this.pending.clear();
    if (hostIds.length) this.emit({ hostIds });
  }
}
