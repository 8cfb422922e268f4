/**
 * The guard process's HTTP/1.1 server, on `node:net`: its clients are reverse proxies asking
 * `/guard/check` (GET or HEAD; nginx passes on the client's own method) without a body, on
 * kept-alive (possibly pipelined) connections, so it reads request heads from the bytes and writes
 * answers prepared in advance. Node's `http` built two objects per request and their headers for
 * that, which cost more than the check itself.
 *
 * Anyone who reaches the port may be hostile, so everything a connection holds is bounded: the head
 * in bytes and in time, the answers queued for a client that does not read, the connections.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { KEEP_ALIVE_TIMEOUT_MS } from '../../http/keep-alive';
import type { GuardLimits } from './guard-protocol';
import { emptyRequest, parseHead, type GuardHttpRequest } from './guard-http-head';
import { ERROR_REPLIES, Framing } from './guard-http-reply';

/** Node's own limit on a request's head (request line and headers), 16 KiB: answered 431. */
export const MAX_HEAD_BYTES = 16 * 1024;

/**
 * How often connections are checked against their time limits: a slow client's slot is freed at
 * most this long after its limit, with no timer armed per request.
 */
const SWEEP_MS = 1000;

/**
 * How long a connection told to close may wait for the client to read the last answer and close its
 * side, so that an unread request behind it does not make the kernel reset the answer away; a client
 * that never closes is cut after it.
 */
const LINGER_MS = 1000;

const END_OF_HEAD = Buffer.from('\r\n\r\n');

/** The answer to one request, as bytes; `remoteAddress` is the peer (the proxy, or a direct client). */
export type GuardRoute = (request: GuardHttpRequest, remoteAddress: string) => Buffer;

const request = emptyRequest();

/** What a connection's kept bytes start in: grown by doubling, so a head sent a byte at a time is copied once per doubling, not once per byte. */
const KEPT_START_BYTES = 1024;

class GuardConnection {
  /**
   * Bytes of a request not yet complete, or not yet read because the client reads no answers: the
   * first `keptLength` bytes of `kept`, whose spare room takes the next chunk without a copy of
   * what came before.
   */
  private kept: Buffer | null = null;
  private keptLength = 0;
  /**
   * How many of the kept bytes were already searched for the end of the head and for bare LFs
   * (the kept bytes then begin with a request line): a head sent a byte at a time is searched
   * once, not once per byte.
   */
  private searched = 0;
  /** When the first byte of the request being received arrived (0 between requests): the headers timeout counts from it. */
  startedAt: number;
  lastSeenAt: number;
  /** When the connection was told to close (0 while open). */
  closingAt = 0;
  private readonly remoteAddress: string;

  constructor(
    readonly socket: Socket,
    private readonly route: GuardRoute,
  ) {
    // A connection that sends nothing holds a slot as a slow one does: its time counts from now.
    this.startedAt = this.lastSeenAt = Date.now();
    this.remoteAddress = socket.remoteAddress ?? '';
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    // A reset or a write to a closed peer: the socket closes, nothing else to do.
    socket.on('error', () => undefined);
  }

  private receive(chunk: Buffer): void {
    if (this.closingAt !== 0) return;
    const now = Date.now();
    this.lastSeenAt = now;
    if (this.startedAt === 0) this.startedAt = now;
    if (this.keptLength === 0) return this.answer(chunk, 0);
    const searched = this.searched;
    this.keep(chunk, 0, true);
    this.answer(this.takeKept(), searched);
  }

  /**
   * Keeps `bytes` from `offset` on: after what is kept already when `append`, else in its place.
   * Copied: a slice would keep the whole chunk (up to 64 KiB) alive for a few bytes.
   */
  private keep(bytes: Buffer, offset: number, append: boolean): void {
    const start = append ? this.keptLength : 0;
    const length = start + bytes.length - offset;
    if (this.kept === null || this.kept.length < length) {
      const grown = Buffer.allocUnsafe(Math.max(KEPT_START_BYTES, 2 ** Math.ceil(Math.log2(length))));
      if (start > 0) this.kept!.copy(grown, 0, 0, start);
      this.kept = grown;
    }
    // copy() is memmove: `bytes` may be the kept buffer itself, its rest moved to the front.
    bytes.copy(this.kept, start, offset);
    this.keptLength = length;
    this.searched = 0;
  }

  /** The kept bytes, handed over: answer() keeps again whatever of them it does not answer. */
  private takeKept(): Buffer {
    const bytes = this.kept!.subarray(0, this.keptLength);
    this.keptLength = 0;
    return bytes;
  }

  /**
   * Answers every complete request in `bytes`, keeps the rest for the next chunk. The first
   * `searched` bytes hold neither the end of a head nor a bare LF: the search resumes after them.
   */
  private answer(bytes: Buffer, searched: number): void {
    let offset = 0;
    let corked = false;
    let answered = 0;
    let completed = false;
    /** Whether empty lines were read since the last complete request: they begin the next one. */
    let blank = false;
    while (offset < bytes.length) {
      if (this.socket.writableNeedDrain) {
        // A client that sends requests and reads no answers: it gets no more (and nothing more is
        // read from it) until it reads; the headers timeout ends it if it never does.
        this.keep(bytes, offset, false);
        if (completed) this.startedAt = this.lastSeenAt;
        this.socket.pause();
        this.socket.once('drain', () => this.resume());
        if (corked) this.socket.uncork();
        return;
      }
      // Empty lines before a request line are ignored (RFC 9112 §2.2).
      const c = bytes[offset];
      if (c === 0x0d || c === 0x0a) {
        offset++;
        blank = true;
        continue;
      }
      // Only the first head can be one searched before: the kept bytes begin with it.
      const resumeAt = offset === 0 ? searched : 0;
      const end = bytes.indexOf(END_OF_HEAD, Math.max(offset, resumeAt - 3));
      if (end < 0 || end + 4 - offset > MAX_HEAD_BYTES) {
        if (end >= 0 || bytes.length - offset > MAX_HEAD_BYTES) return this.close(ERROR_REPLIES.tooLarge);
        // A line ended by a bare LF would never complete a head: refused now rather than at the timeout.
        if (hasBareLf(bytes, offset, Math.max(offset, resumeAt))) return this.close(ERROR_REPLIES.badRequest);
        break;
      }
      const error = parseHead(bytes, offset, end, request);
      if (error !== null) return this.close(error);
      offset = end + 4;
      completed = true;
      blank = false;
      const reply = this.route(request, this.remoteAddress);
      if (request.framing !== Framing.KeepAlive) {
        this.close(reply);
        return;
      }
      // The rest of a pipelined batch leaves in one write.
      if (++answered === 2) {
        this.socket.cork();
        corked = true;
      }
      this.socket.write(reply);
    }
    if (corked) this.socket.uncork();
    if (offset < bytes.length) {
      const startsHead = bytes[offset] !== 0x0d && bytes[offset] !== 0x0a;
      this.keep(bytes, offset, false);
      // Searched to its end for this head (the loop stops only at an incomplete one).
      if (startsHead) this.searched = this.keptLength;
      // The next request's time counts from this chunk if it began here, else from its own first byte.
      if (completed) this.startedAt = this.lastSeenAt;
    } else if (!blank) this.startedAt = 0;
    // As in Node, empty lines start the headers timeout: a client sending only CRLFs would otherwise hold its slot forever.
    else if (completed) this.startedAt = this.lastSeenAt;
  }

  private resume(): void {
    if (this.closingAt !== 0) return;
    this.socket.resume();
    this.answer(this.takeKept(), 0);
  }

  /** The last answer (after any still corked), then the end of the connection; what the client sends after it is not read. */
  close(reply: Buffer): void {
    this.closingAt = Date.now();
    this.kept = null;
    this.keptLength = 0;
    this.socket.end(reply);
  }

  /** Closes the connection if it is past one of its limits. */
  sweep(now: number, headersTimeoutMs: number): void {
    if (this.closingAt !== 0) {
      if (now - this.closingAt >= LINGER_MS) this.socket.destroy();
    } else if (this.startedAt !== 0) {
      if (now - this.startedAt >= headersTimeoutMs) this.close(ERROR_REPLIES.timeout);
    } else if (now - this.lastSeenAt >= KEEP_ALIVE_TIMEOUT_MS) this.socket.destroy();
  }
}

/** A LF in the head that starts at `from` without its CR before it, looked for from `scanFrom` on. */
function hasBareLf(bytes: Buffer, from: number, scanFrom: number): boolean {
  for (let i = bytes.indexOf(0x0a, scanFrom); i >= 0; i = bytes.indexOf(0x0a, i + 1)) if (i === from || bytes[i - 1] !== 0x0d) return true;
  return false;
}

/**
 * A server for the guard process's port. Bounds: a head of at most MAX_HEAD_BYTES (431), complete
 * within `headersTimeoutMs` of its first byte (408: a slowloris holds its slot no longer), an idle
 * kept-alive connection closed after KEEP_ALIVE_TIMEOUT_MS (longer than the proxy keeps it, so the
 * proxy is the one that closes), at most `maxConnections` connections (new ones beyond are closed).
 */
export function createGuardHttpServer(limits: GuardLimits, route: GuardRoute): { server: Server; destroyConnections(): void } {
  const connections = new Set<GuardConnection>();
  // Without Nagle's delay, as Node's http server: an answer written behind another unacknowledged
  // one (pipelined requests) would otherwise wait for the client's delayed ACK.
  const server = createServer({ noDelay: true }, (socket) => {
    const connection = new GuardConnection(socket, route);
    connections.add(connection);
    socket.once('close', () => connections.delete(connection));
  });
  server.maxConnections = limits.maxConnections;
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const connection of connections) connection.sweep(now, limits.headersTimeoutMs);
  }, SWEEP_MS);
  sweep.unref();
  server.once('close', () => clearInterval(sweep));
  return {
    server,
    destroyConnections() {
      for (const connection of connections) connection.socket.destroy();
    },
  };
}
