import { connect, type Socket } from 'node:net';

/**
 * A TCP conversation for the probes that speak a protocol themselves (Redis, SMTP, MySQL):
 * bytes arrive into one buffer, and `until` waits for a complete answer in it.
 */
export class SocketConversation {
  private buffer = Buffer.alloc(0);
  private waiter: (() => void) | null = null;
  private failure: Error | null = null;
  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.waiter?.();
    });
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(Object.assign(new Error('the server closed the connection'), { code: 'ECONNRESET' })));
    socket.on('timeout', () => this.fail(Object.assign(new Error('timeout'), { name: 'TimeoutError' })));
  }

  static open(host: string, port: number, timeoutMs: number): Promise<SocketConversation> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port, timeout: timeoutMs });
      socket.once('connect', () => resolve(new SocketConversation(socket)));
      socket.once('error', reject);
    });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.waiter?.();
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** Waits until `complete` finds a whole answer at the start of the buffer (its length), and takes it. */
  async until(complete: (buffer: Buffer) => number | null): Promise<Buffer> {
    for (;;) {
      const length = complete(this.buffer);
      if (length !== null) {
        const answer = this.buffer.subarray(0, length);
        this.buffer = this.buffer.subarray(length);
        return answer;
      }
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => (this.waiter = resolve));
      this.waiter = null;
    }
  }

  /** One CRLF-terminated line, without the CRLF. */
  async line(): Promise<string> {
    const raw = await this.until((buffer) => {
      const end = buffer.indexOf('\r\n');
      return end < 0 ? null : end + 2;
    });
    return raw.subarray(0, -2).toString('utf8');
  }

  close(): void {
    this.socket.destroy();
  }
}
