/** What every `start<Capability>()` hands the worker besides its public surface. */
export interface Started {
  /** Stops what acts (timers, probes, schedules, watchers): the first phase of a close. */
  stop?(): Promise<unknown> | unknown;
  /** Releases what it holds (connections, sockets, files), once every capability has stopped. */
  close?(): Promise<unknown> | unknown;
}

/**
 * The capabilities in the order they started. A close runs in two passes, each in reverse:
 * first everything stops acting, then everything lets go, so the last audit event written
 * between the two still reaches the database and the live clients.
 */
export class Lifecycle {
  private readonly started: Started[] = [];

  add<T extends Started>(capability: T): T {
    this.started.push(capability);
    return capability;
  }

  async stop(): Promise<void> {
    for (const capability of [...this.started].reverse()) await capability.stop?.();
  }

  async close(): Promise<void> {
    for (const capability of [...this.started].reverse()) await capability.close?.();
  }

  /** After a failed start: whatever started is let go, and nothing here may hide the start's own error. */
  async abandon(): Promise<void> {
    for (const capability of [...this.started].reverse()) {
      await Promise.resolve()
        .then(() => capability.stop?.())
        .catch(() => undefined);
      await Promise.resolve()
        .then(() => capability.close?.())
        .catch(() => undefined);
    }
  }
}
