/** The shortest heartbeat interval an agent may be configured with (VIGIL_FLEET_HEARTBEAT_MS): no more writes than that per host. */
export const MIN_HEARTBEAT_SPACING_MS = 200;

interface HostBeats<T> {
  /** The newest heartbeat not yet written; an older one it replaced says nothing more. */
  pending: T | null;
  writing: boolean;
  lastWriteAt: number;
}

/**
 * Each heartbeat is a write to the host's row: an agent sending them as fast as its socket allows
 * (a bug, or a compromised host) would otherwise turn the console's database into its queue. Per
 * host, at most one write is in flight and they are spaced by the shortest interval an agent may
 * use; what arrives meanwhile replaces what waits, so the newest state is always the one written.
 */
export class HeartbeatCoalescer<T> {
  private readonly hosts = new Map<number, HostBeats<T>>();
  /** Writes made since start: what the flood test reads. */
  written = 0;

  constructor(private readonly write: (hostId: number, beat: T) => Promise<void>) {}

  offer(hostId: number, beat: T): void {
    let host = this.hosts.get(hostId);
    if (!host) this.hosts.set(hostId, (host = { pending: null, writing: false, lastWriteAt: 0 }));
    host.pending = beat;
    if (!host.writing) void this.drain(hostId, host);
  }

  private async drain(hostId: number, host: HostBeats<T>): Promise<void> {
    host.writing = true;
    try {
      while (host.pending !== null) {
        const waitMs = host.lastWriteAt + MIN_HEARTBEAT_SPACING_MS - Date.now();
        if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs).unref());
        const beat = host.pending;
        host.pending = null;
        host.lastWriteAt = Date.now();
        this.written++;
        await this.write(hostId, beat);
      }
    } finally {
      host.writing = false;
    }
  }
}
