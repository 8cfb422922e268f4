import { connect, type Socket } from 'node:net';

/**
 * Idle long enough that a server with Node's default keep-alive (5 s) has closed the connection:
 * twice that, since on a loaded machine the server's own timer fires late too.
 */
export const IDLE_PAST_NODE_DEFAULT_MS = 10_000;

/**
 * One HTTP/1.1 connection held open between requests, as a pooling client (undici, nginx's
 * upstream keepalive) holds it: tests send a request, leave it idle, and send another on the
 * same socket. Raw TCP rather than a client library, so no client-side idle timer (each
 * library has its own) decides whether the socket is reused: only the server can close it.
 */
export class KeptAliveConnection {
  private buffer = '';
  private onData: (() => void) | null = null;
  /** Resolves when the server ends the connection. */
  readonly closed: Promise<void>;
  private isClosed = false;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      this.onData?.();
    });
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.isClosed = true;
        this.onData?.();
        resolve();
      }),
    );
    socket.on('error', () => {});
  }

  static open(port: number, host = '127.0.0.1'): Promise<KeptAliveConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host }, () => {
        socket.off('error', reject);
        resolve(new KeptAliveConnection(socket));
      });
      socket.once('error', reject);
    });
  }

  get open(): boolean {
    return !this.isClosed;
  }

  /** One GET on this connection; rejects if the server closes it before the whole answer. */
  get(path: string): Promise<{ status: number; body: string }> {
    this.buffer = '';
    this.socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n`);
    return new Promise((resolve, reject) => {
      this.onData = () => {
        const answer = completeResponse(this.buffer);
        if (answer) {
          this.onData = null;
          resolve(answer);
        } else if (this.isClosed) {
          this.onData = null;
          reject(new Error(`the server closed the connection before answering ${path}`));
        }
      };
      this.onData();
    });
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** The response once fully received (a length-delimited or chunked body), else null. */
function completeResponse(raw: string): { status: number; body: string } | null {
  const headerEnd = raw.indexOf('\r\n\r\n');
  if (headerEnd < 0) return null;
  const head = raw.slice(0, headerEnd);
  const rest = raw.slice(headerEnd + 4);
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
  const length = /\r\ncontent-length: *(\d+)/i.exec(head)?.[1];
  if (length !== undefined) return rest.length >= Number(length) ? { status, body: rest.slice(0, Number(length)) } : null;
  if (/\r\ntransfer-encoding: *chunked/i.test(head)) {
    const body = dechunk(rest);
    return body === null ? null : { status, body };
  }
  return { status, body: '' };
}

/** A chunked body once its last chunk arrived, else null. */
function dechunk(raw: string): string | null {
  let body = '';
  let at = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', at);
    if (lineEnd < 0) return null;
    const size = parseInt(raw.slice(at, lineEnd), 16);
    if (size === 0) return raw.indexOf('\r\n', lineEnd + 2) < 0 ? null : body;
    if (raw.length < lineEnd + 2 + size + 2) return null;
    body += raw.slice(lineEnd + 2, lineEnd + 2 + size);
    at = lineEnd + 2 + size + 2;
  }
}
