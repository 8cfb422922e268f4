/** A failed attempt; `retryable` says whether trying the same thing again can help. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    /** The receiver said when to come back (HTTP Retry-After, Telegram's and Discord's retry_after). */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}
