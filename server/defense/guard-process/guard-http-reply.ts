/**
 * The bytes of the guard process's answers, written as Node's `http` writes them for the same
 * `writeHead(status, headers)` + `end(body)`: the same status line, the handler's headers in their
 * order, then Date, Connection (and Keep-Alive), and a chunked body on HTTP/1.1. A proxy in front
 * sees the same answer from this port as from the worker's own guard route.
 */
import { STATUS_CODES, type OutgoingHttpHeaders } from 'node:http';
import { KEEP_ALIVE_TIMEOUT_MS } from '../../http/keep-alive';

/** How an answer ends: kept alive, closed on HTTP/1.1, or closed on HTTP/1.0 (no chunked coding there). */
export const Framing = { KeepAlive: 0, Close: 1, Close10: 2 } as const;
export type Framing = (typeof Framing)[keyof typeof Framing];

const CONNECTION = [`Connection: keep-alive\r\nKeep-Alive: timeout=${KEEP_ALIVE_TIMEOUT_MS / 1000}\r\n`, 'Connection: close\r\n', 'Connection: close\r\n'];

let date: string | null = null;
/** Bumped with the Date: a cached answer of an older generation is rebuilt. */
let generation = 0;

/** The HTTP date of this second, recomputed at most once a second (as Node does). */
function httpDate(): string {
  if (date === null) {
    const now = new Date();
    date = now.toUTCString();
    generation++;
    setTimeout(() => (date = null), 1000 - now.getMilliseconds()).unref();
  }
  return date;
}

/** One answer's bytes. */
export function replyBytes(status: number, headers: OutgoingHttpHeaders, body: string, framing: Framing, head: boolean): Buffer {
  let text = `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n`;
  for (const [name, value] of Object.entries(headers)) text += `${name}: ${String(value)}\r\n`;
  text += `Date: ${httpDate()}\r\n${CONNECTION[framing]}`;
  // 204 has no body by definition, HEAD none on the wire; HTTP/1.0 reads the body up to the close.
  if (status === 204 || head) text += '\r\n';
  else if (framing === Framing.Close10) text += `\r\n${body}`;
  else text += `Transfer-Encoding: chunked\r\n\r\n${body === '' ? '' : `${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n`}0\r\n\r\n`;
  return Buffer.from(text);
}

/** An answer that never changes but for its Date: built once per second for each framing, then only written. */
export class FixedReply {
  private readonly cache: Array<Buffer | undefined> = [];
  private builtFor = -1;

  constructor(
    private readonly status: number,
    private readonly headers: OutgoingHttpHeaders,
    private readonly body = '',
  ) {}

  bytes(framing: Framing, head: boolean): Buffer {
    httpDate();
    if (this.builtFor !== generation) {
      this.cache.length = 0;
      this.builtFor = generation;
    }
    const slot = framing * 2 + (head ? 1 : 0);
    return (this.cache[slot] ??= replyBytes(this.status, this.headers, this.body, framing, head));
  }
}

/** The answers to a client that broke the protocol, as Node's own (no Date: the connection is closed after it). */
export const ERROR_REPLIES = {
  badRequest: Buffer.from('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n'),
  methodNotAllowed: Buffer.from('HTTP/1.1 405 Method Not Allowed\r\nConnection: close\r\n\r\n'),
  timeout: Buffer.from('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n'),
  tooLarge: Buffer.from('HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n'),
};
