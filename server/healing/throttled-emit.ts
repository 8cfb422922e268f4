/**
 * Emits at once when the last emit is older than the window, else once at the window's end
 * with the state then: 2,000 modules turning up at start must not send the table 2,000 times.
 */
export class ThrottledEmit {
  private timer: NodeJS.Timeout | null = null;
  private lastAt = 0;
  private stopped = false;

  constructor(
    private readonly windowMs: number | (() => number),
    private readonly emit: () => void,
  ) {}

  request(): void {
    if (this.timer || this.stopped) return;
    const windowMs = typeof this.windowMs === 'number' ? this.windowMs : this.windowMs();
    const wait = this.lastAt + windowMs - Date.now();
    if (wait <= 0) return this.emitNow();
    this.timer = setTimeout(() => this.emitNow(), wait);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private emitNow(): void {
    this.timer = null;
    if (this.stopped) return;
    this.lastAt = Date.now();
    this.emit();
  }
}
