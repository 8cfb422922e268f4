import type { Logger } from '../log';
import { dbErrorMessage } from '../db/db-error';

export interface DatabaseHealthOptions {
  log: Logger;
  /** How many events wait in the spool, for the line that says the database is back. */
  spooled: () => number;
  /** Called when a retry is due, to try the database again. */
  onRetryDue: () => void;
  retryBaseMs?: number;
  retryMaxMs?: number;
}

/**
 * Whether the audit writer may try the database, and when it tries again after a failure:
 * exponential backoff, and an outage logged once when it starts and once when it ends rather
 * than at every retry.
 */
export class DatabaseHealth {
  private dbOk = true;
  /** A retry is due: try the database again, but report it healthy only once a commit succeeds. */
  private retryDue = false;
  private lastErrorMessage: string | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryDelay: number;
  private closed = false;
  /** Logged once when it starts and once when it ends, not at every retry. */
  private outage = false;

  constructor(private readonly options: DatabaseHealthOptions) {
    this.retryDelay = options.retryBaseMs ?? 250;
  }

  get ok(): boolean {
    return this.dbOk;
  }

  get lastError(): string | null {
    return this.lastErrorMessage;
  }

  get mayTry(): boolean {
    return this.dbOk || this.retryDue;
  }

  /** No retry is scheduled after this; one already scheduled is cancelled. */
  close(): void {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
  }

  markHealthy(): void {
    if (this.outage) this.options.log.info({ pending: this.options.spooled() }, 'database is reachable again');
    this.outage = false;
    this.dbOk = true;
    this.retryDue = false;
    this.lastErrorMessage = null;
    this.retryDelay = this.options.retryBaseMs ?? 250;
  }

  markFailed(error: unknown): void {
    const message = dbErrorMessage(error);
    if (!this.outage) this.options.log.error({ err: message }, 'database rejected an audit append; spooling until it returns');
    this.outage = true;
    this.dbOk = false;
    this.retryDue = false;
    this.lastErrorMessage = message;
    if (this.retryTimer || this.closed) return;
    const delay = this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, this.options.retryMaxMs ?? 10_000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.retryDue = true;
      this.options.onRetryDue();
    }, delay);
    this.retryTimer.unref();
  }
}
