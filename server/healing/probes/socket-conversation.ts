import { connect, type Socket } from 'node:net';

/** More than any answer a probe reads (a greeting, PONG, SELECT 1's rows); past it the target is not a server of that kind. */
export const ANSWER_LIMIT_BYTES = 1024 * 1024;

/**
 * A TCP conversation for the probes that speak a protocol themselves (Redis, SMTP, MySQL):
 * bytes arrive into one buffer, and `until` waits for a complete answer in it. The whole
 * conversation has one deadline: the socket's own timeout only counts silence, so a target
 * that sends a byte now and then would otherwise hold the probe, and its buffer, forever.
 */
export class SocketConversation {
  private buffer = Buffer.alloc(0);
  private waiter: (() => void) | null = null;
  private failure: Error | null = null;
  private readonly deadline: NodeJS.Timeout;
  private constructor(
    readonly socket: Socket,
    timeoutMs: number,
  ) {
    this.deadline = setTimeout(() => this.abort(Object.assign(new Error('timeout'), { name: 'TimeoutError' })), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      if (this.buffer.length + chunk.length > ANSWER_LIMIT_BYTES) {
        this.abort(new Error(`the server sent more than ${ANSWER_LIMIT_BYTES / 1024 / 1024} MiB without completing an answer`));
        return;
      }
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
      socket.once('connect', () => resolve(new SocketConversation(socket, timeoutMs)));
      socket.once('error', reject);
      // Before the connection the idle timeout is the only bound: a dropped SYN must not wait for the kernel's minutes.
      socket.once('timeout', () => socket.connecting && socket.destroy(Object.assign(new Error('timeout'), { name: 'TimeoutError' })));
    });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.waiter?.();
  }

  /** Fails the conversation and stops reading: nothing more is buffered. */
  private abort(error: Error): void {
    this.fail(error);
    this.buffer = Buffer.alloc(0);
    this.socket.destroy();
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
    clearTimeout(this.deadline);
    this.socket.destroy();
  }
}
