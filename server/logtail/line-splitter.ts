const NEWLINE = 0x0a;

/**
 * Cuts a byte stream into lines without ever holding more than `maxLineBytes` of one:
 * the rest of an over-long line is skipped up to its newline, and counted. Works on bytes,
 * so a multi-byte character split across two reads is decoded whole.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private skipping = false;
  overlong = 0;

  constructor(
    private readonly maxLineBytes: number,
    private readonly onLine: (line: string) => void,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(NEWLINE, start);
      const end = newline === -1 ? chunk.length : newline;
      this.take(chunk.subarray(start, end));
      if (newline === -1) return;
      this.finishLine();
      start = newline + 1;
    }
  }

  /** A file that ends without a newline (rotated away, say) still ends its last line. */
  flush(): void {
    if (this.pendingBytes > 0 || this.skipping) this.finishLine();
  }

  /** After a truncation the half line read before belongs to nothing. */
  reset(): void {
    this.pending = [];
    this.pendingBytes = 0;
    this.skipping = false;
  }

  get bufferedBytes(): number {
    return this.pendingBytes;
  }

  private take(part: Buffer): void {
    if (this.skipping || part.length === 0) return;
    if (this.pendingBytes + part.length > this.maxLineBytes) {
      this.overlong++;
      this.pending = [];
      this.pendingBytes = 0;
      this.skipping = true;
      return;
    }
    // Copied: the caller reuses its read buffer.
    this.pending.push(Buffer.from(part));
    this.pendingBytes += part.length;
  }

  private finishLine(): void {
    const skipped = this.skipping;
    const line = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    this.reset();
    if (skipped || line.length === 0) return;
    const end = line[line.length - 1] === 0x0d ? line.length - 1 : line.length;
    this.onLine(line.toString('utf8', 0, end));
  }
}
