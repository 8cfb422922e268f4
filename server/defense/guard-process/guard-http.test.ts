import { connect, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../test-support';
import { slowConnection } from '../../test-support/guard-process';
import type { GuardHttpRequest } from './guard-http-head';
import { createGuardHttpServer, MAX_HEAD_BYTES } from './guard-http';
import { Framing, replyBytes } from './guard-http-reply';
import type { GuardLimits } from './guard-protocol';

/**
 * The guard process's HTTP server on raw bytes over loopback: what it reads from a request (echoed
 * back as headers of a 204), what it refuses and how, and how it cuts connections that hold it.
 */
const echo = (req: GuardHttpRequest, remoteAddress: string): Buffer =>
  replyBytes(
    204,
    {
      'x-method': req.method,
      'x-target': req.target,
      'x-head': String(req.head),
      'x-peer': remoteAddress,
      'x-for': req.forwarded.forwardedFor ?? '-',
      'x-real': req.forwarded.realIp ?? '-',
      'x-uri': req.forwarded.forwardedUri ?? '-',
      'x-original': req.forwarded.originalUri ?? '-',
    },
    '',
    req.framing,
    req.head,
  );

/** A loopback connection that sends raw bytes and reads answers made of heads only (no body). */
class RawClient {
  received = '';
  /** Answers complete so far, and where the last one ended. */
  private count = 0;
  private counted = 0;
  closed = false;
  private waiters: Array<() => void> = [];

  private constructor(readonly socket: Socket) {
    socket.setEncoding('latin1');
    // Each write leaves at once: a split is sent as two segments, not held back by Nagle.
    socket.setNoDelay(true);
    socket.on('data', (chunk: string) => {
      // Counted as they come: a test of many answers must not re-read everything on each chunk.
      let at = Math.max(this.counted, this.received.length - 3);
      this.received += chunk;
      for (at = this.received.indexOf('\r\n\r\n', at); at >= 0; at = this.received.indexOf('\r\n\r\n', at + 4)) {
        this.count++;
        this.counted = at + 4;
      }
      this.wake();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  static open(port: number, { read = true } = {}): Promise<RawClient> {
    return new Promise((resolve) => {
      const socket = connect({ host: '127.0.0.1', port }, () => resolve(new RawClient(socket)));
      if (!read) socket.pause();
    });
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  /** The answers received so far, each as its lines without Date (which changes every second). */
  answers(): string[][] {
    return this.received
      .split('\r\n\r\n')
      .slice(0, -1)
      .map((head) => head.split('\r\n').filter((line) => !line.startsWith('Date: ')));
  }

  /** Until `n` answers have arrived, or the server closed the connection. */
  async until(n: number): Promise<string[][]> {
    while (this.count < n && !this.closed) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.answers();
  }

  /** Until the server closed the connection: every answer it sent. */
  async untilClosed(): Promise<string[][]> {
    while (!this.closed) await new Promise<void>((resolve) => this.waiters.push(resolve));
    return this.answers();
  }
}

let running: ReturnType<typeof createGuardHttpServer> | null = null;
const clients: RawClient[] = [];
/** The server's side of each connection, to know when it has read the bytes sent so far. */
let serverSockets: Socket[] = [];
let accepted: Array<() => void> = [];

async function start(limits: GuardLimits = { headersTimeoutMs: 10_000, maxConnections: 100 }): Promise<number> {
  running = createGuardHttpServer(limits, echo);
  const server: Server = running.server;
  server.on('connection', (socket: Socket) => {
    serverSockets.push(socket);
    for (const waiter of accepted.splice(0)) waiter();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

/** A connection, once the server has accepted it (connections are opened one at a time). */
async function open(port: number, options?: { read?: boolean }): Promise<RawClient> {
  const before = serverSockets.length;
  const client = await RawClient.open(port, options);
  clients.push(client);
  while (serverSockets.length === before) await new Promise<void>((resolve) => accepted.push(resolve));
  return client;
}

/** Until the server's side of the latest connection has read `bytes` bytes (its handler has run on them). */
function serverRead(bytes: number): Promise<void> {
  const socket = serverSockets.at(-1)!;
  return new Promise((resolve) => {
    const check = () => {
      if (socket.bytesRead < bytes) return;
      socket.off('data', check);
      resolve();
    };
    socket.on('data', check);
    check();
  });
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.socket.destroy();
  if (running) {
    running.destroyConnections();
    await new Promise((resolve) => running!.server.close(resolve));
    running = null;
  }
  serverSockets = [];
  accepted = [];
});

/** One answer to `raw` on a fresh connection, and whether the server closed the connection after it. */
async function ask(port: number, raw: string | Buffer): Promise<{ status: string; closed: boolean; answers: string[][] }> {
  const client = await open(port);
  client.socket.write(raw);
  const answers = await client.until(1);
  // A kept-alive connection stays open: a second request on it is answered.
  if (!client.closed) {
    client.socket.write('GET /again HTTP/1.1\r\nHost: g\r\n\r\n');
    await client.until(2);
  }
  return { status: answers[0]?.[0] ?? 'none', closed: client.closed, answers: client.answers() };
}

const PIPELINED = [
  'GET /guard/check?from=nginx HTTP/1.1\r\nHost: guard\r\nX-Forwarded-For: 203.0.113.1\r\nx-forwarded-for: 10.0.0.1, 10.0.0.2\r\nX-ORIGINAL-URI: /a?b\r\n\r\n',
  '\r\nHEAD /guard/check HTTP/1.1\r\nhost: guard\r\nX-Real-IP:   198.51.100.4 \t\r\n\r\n',
  'POST /guard/check HTTP/1.1\r\nHost: g\r\nContent-Length: 0\r\nX-Forwarded-Uri: /p\r\nX-Original-Uri: /o\r\n\r\n',
  'GET /healthz HTTP/1.1\r\nHost: g\r\nConnection: keep-alive\r\nX-Forwarded-For:\r\n\r\n',
].join('');

const EXPECTED = [
  ['GET', '/guard/check?from=nginx', 'false', '203.0.113.1, 10.0.0.1, 10.0.0.2', '-', '-', '/a?b'],
  ['HEAD', '/guard/check', 'true', '-', '198.51.100.4', '-', '-'],
  ['POST', '/guard/check', 'false', '-', '-', '/p', '/o'],
  ['GET', '/healthz', 'false', '', '-', '-', '-'],
].map(([method, target, head, forFor, real, uri, original]) => [
  'HTTP/1.1 204 No Content',
  `x-method: ${method}`,
  `x-target: ${target}`,
  `x-head: ${head}`,
  'x-peer: 127.0.0.1',
  `x-for: ${forFor}`,
  `x-real: ${real}`,
  `x-uri: ${uri}`,
  `x-original: ${original}`,
  'Connection: keep-alive',
  'Keep-Alive: timeout=65',
]);

describe('the guard HTTP server reading requests', () => {
  it('answers pipelined requests in order, reading names in any case and repeated headers joined', async () => {
    const port = await start();
    const client = await open(port);
    client.socket.write(PIPELINED);
    expect(await client.until(4)).toEqual(EXPECTED);
    expect(client.closed).toBe(false);
  });

  it('gives the same answers when the bytes are split at any boundary', async () => {
    const port = await start();
    for (let split = 1; split < PIPELINED.length; split++) {
      const client = await open(port);
      client.socket.write(PIPELINED.slice(0, split));
      // The first part read (and answered as far as it goes) before the rest is sent.
      await serverRead(split);
      client.socket.write(PIPELINED.slice(split));
      expect(await client.until(4), `split at ${split}`).toEqual(EXPECTED);
      client.socket.destroy();
    }
  });

  it('gives the same answers when every byte arrives on its own', async () => {
    const port = await start();
    const client = await open(port);
    for (let i = 0; i < PIPELINED.length; i++) {
      client.socket.write(PIPELINED[i]);
      await serverRead(i + 1);
    }
    expect(await client.until(4)).toEqual(EXPECTED);
  });

  it('closes after the answer on HTTP/1.0 and on Connection: close', async () => {
    const port = await start();
    for (const raw of [
      'GET /guard/check HTTP/1.0\r\n\r\n',
      'GET /guard/check HTTP/1.0\r\nConnection: keep-alive\r\n\r\n',
      'GET /guard/check HTTP/1.1\r\nHost: g\r\nConnection: close\r\n\r\n',
      'GET /guard/check HTTP/1.1\r\nHost: g\r\nconnection: Keep-Alive, CLOSE\r\n\r\n',
    ]) {
      const { status, closed, answers } = await ask(port, raw);
      expect([status, closed, answers[0].at(-1)], raw).toEqual(['HTTP/1.1 204 No Content', true, 'Connection: close']);
    }
    // Nothing after the closing request is answered.
    const client = await open(port);
    client.socket.write('GET /a HTTP/1.1\r\nHost: g\r\nConnection: close\r\n\r\nGET /b HTTP/1.1\r\nHost: g\r\n\r\n');
    expect((await client.untilClosed()).map((answer) => answer[2])).toEqual(['x-target: /a']);
  });

  it('reads a head of exactly its limit, and refuses one byte more with 431 and a close', async () => {
    const port = await start();
    const headOf = (size: number) => {
      const start = 'GET /guard/check HTTP/1.1\r\nHost: g\r\nX-Forwarded-For: ';
      return `${start}${'1'.repeat(size - start.length - 4)}\r\n\r\n`;
    };
    expect(Buffer.byteLength(headOf(MAX_HEAD_BYTES))).toBe(16_384);
    expect(await ask(port, headOf(MAX_HEAD_BYTES))).toMatchObject({ status: 'HTTP/1.1 204 No Content', closed: false });
    expect(await ask(port, headOf(MAX_HEAD_BYTES + 1))).toMatchObject({ status: 'HTTP/1.1 431 Request Header Fields Too Large', closed: true });
    // Refused as soon as the limit is passed, without waiting for the end of a head that may never come.
    expect(await ask(port, `GET /guard/check HTTP/1.1\r\nX-Pad: ${'a'.repeat(MAX_HEAD_BYTES)}`)).toMatchObject({
      status: 'HTTP/1.1 431 Request Header Fields Too Large',
      closed: true,
    });
  });

  const refused: Array<[string, string, string]> = [
    ['a header line without a colon', 'GET /guard/check HTTP/1.1\r\nHost: g\r\nX-Forwarded-For 1.2.3.4\r\n\r\n', '400 Bad Request'],
    ['an empty header name', 'GET /guard/check HTTP/1.1\r\nHost: g\r\n: 1.2.3.4\r\n\r\n', '400 Bad Request'],
    ['a space before the colon', 'GET /guard/check HTTP/1.1\r\nHost: g\r\nX-Forwarded-For : 1.2.3.4\r\n\r\n', '400 Bad Request'],
    ['a space in a name', 'GET /guard/check HTTP/1.1\r\nHost: g\r\nX Forwarded-For: 1.2.3.4\r\n\r\n', '400 Bad Request'],
    ['an obs-fold continuation', 'GET /guard/check HTTP/1.1\r\nHost: g\r\nX-Forwarded-For: 1.2.3.4,\r\n 5.6.7.8\r\n\r\n', '400 Bad Request'],
    ['a NUL in a value', 'GET /guard/check HTTP/1.1\r\nHost: g\r\nX-Forwarded-For: 1.2.3.4\0\r\n\r\n', '400 Bad Request'],
    ['a bare CR in a value', 'GET /guard/check HTTP/1.1\r\nHost: g\r\nX-Forwarded-For: 1.2.3.4\rX-Real-IP: 5.6.7.8\r\n\r\n', '400 Bad Request'],
    ['lines ended by bare LF', 'GET /guard/check HTTP/1.1\nHost: g\nX-Forwarded-For: 1.2.3.4\n\n', '400 Bad Request'],
    ['a bare LF inside a head', 'GET /guard/check HTTP/1.1\r\nHost: g\nX-Forwarded-For: 1.2.3.4\r\n\r\n', '400 Bad Request'],
    ['a DEL in a value', 'GET /guard/check HTTP/1.1\r\nHost: g\r\nX-Forwarded-For: 1.2.3.4\x7f\r\n\r\n', '400 Bad Request'],
    ['a request line with two spaces', 'GET  /guard/check HTTP/1.1\r\nHost: g\r\n\r\n', '400 Bad Request'],
    ['a request line without a version', 'GET /guard/check\r\nHost: g\r\n\r\n', '400 Bad Request'],
    ['a target with a control byte', 'GET /guard/\x01check HTTP/1.1\r\nHost: g\r\n\r\n', '400 Bad Request'],
    ['HTTP/2.0 on this port', 'GET /guard/check HTTP/2.0\r\nHost: g\r\n\r\n', '400 Bad Request'],
    ['HTTP/1.2', 'GET /guard/check HTTP/1.2\r\nHost: g\r\n\r\n', '400 Bad Request'],
    ['HTTP/1.1 without Host', 'GET /guard/check HTTP/1.1\r\nX-Forwarded-For: 1.2.3.4\r\n\r\n', '400 Bad Request'],
    ['an unknown method', 'BREW /guard/check HTTP/1.1\r\nHost: g\r\n\r\n', '400 Bad Request'],
    ['a method in lower case', 'get /guard/check HTTP/1.1\r\nHost: g\r\n\r\n', '400 Bad Request'],
    ['CONNECT', 'CONNECT guard:443 HTTP/1.1\r\nHost: guard:443\r\n\r\n', '405 Method Not Allowed'],
    ['a body by Content-Length', 'POST /guard/check HTTP/1.1\r\nHost: g\r\nContent-Length: 5\r\n\r\nGET /', '400 Bad Request'],
    ['a second Content-Length', 'GET /guard/check HTTP/1.1\r\nHost: g\r\nContent-Length: 0\r\ncontent-length: 7\r\n\r\n', '400 Bad Request'],
    ['a Content-Length that is not a number', 'GET /guard/check HTTP/1.1\r\nHost: g\r\nContent-Length: 0x0\r\n\r\n', '400 Bad Request'],
    ['a chunked body', 'POST /guard/check HTTP/1.1\r\nHost: g\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', '400 Bad Request'],
    ['any Transfer-Encoding', 'GET /guard/check HTTP/1.1\r\nHost: g\r\ntransfer-encoding: identity\r\n\r\n', '400 Bad Request'],
  ];
  it.each(refused)('refuses %s and closes the connection', async (_, raw, status) => {
    const port = await start();
    const client = await open(port);
    // A good request first, on the same connection: answered, then the bad one refused.
    client.socket.write(`GET /first HTTP/1.1\r\nHost: g\r\n\r\n${raw}`);
    const answers = await client.untilClosed();
    expect(answers.map((answer) => answer[0])).toEqual(['HTTP/1.1 204 No Content', `HTTP/1.1 ${status}`]);
    expect(answers[1]).toEqual([`HTTP/1.1 ${status}`, 'Connection: close']);
  });

  it('refuses a bare LF or a head past its limit as soon as the byte arrives, when a long head comes one byte at a time', async () => {
    const port = await start();
    const pad = 'a'.repeat(3000);
    for (const [raw, status, refusedAt] of [
      [`GET /guard/check HTTP/1.1\r\nHost: g\r\nX-Pad: ${pad}\r\nX-Late: b\nX-Forwarded-For: 1.2.3.4\r\n\r\n`, '400 Bad Request', 'X-Late: b\n'],
      [`GET /guard/check HTTP/1.1\r\nHost: g\r\nX-Pad: ${'a'.repeat(MAX_HEAD_BYTES)}`, '431 Request Header Fields Too Large', null],
    ] as const) {
      const client = await open(port);
      const last = refusedAt === null ? MAX_HEAD_BYTES + 1 : raw.indexOf(refusedAt) + refusedAt.length;
      // Every byte up to the offending one is read on its own, and none of them is refused.
      for (let i = 0; i < last - 1; i++) {
        client.socket.write(raw[i]);
        await serverRead(i + 1);
      }
      expect(client.closed).toBe(false);
      client.socket.write(raw[last - 1]);
      const answers = await client.untilClosed();
      expect(answers.map((answer) => answer[0])).toEqual([`HTTP/1.1 ${status}`]);
    }
  });

  it('answers HEAD with its headers and no body, and keeps the connection', async () => {
    const port = await start();
    const { status, closed, answers } = await ask(port, 'HEAD /guard/check HTTP/1.1\r\nHost: g\r\n\r\n');
    expect([status, closed, answers[0][3], answers.length]).toEqual(['HTTP/1.1 204 No Content', false, 'x-head: true', 2]);
  });
});

describe('the guard HTTP server bounding what a connection holds', () => {
  it('closes a connection whose head is not complete in time with 408, and leaves an idle kept-alive one open', async () => {
    const port = await start({ headersTimeoutMs: 500, maxConnections: 100 });
    const idle = await open(port);
    idle.socket.write('GET /guard/check HTTP/1.1\r\nHost: g\r\n\r\n');
    await idle.until(1);
    const silent = await open(port);
    const slow = await open(port);
    slow.socket.write('GET /guard/check HTTP/1.1\r\nHost: g\r\nX-Slow: a');
    // Another that keeps sending a byte of its head at a time: its time counts from its first byte still.
    const dribbling = slowConnection(port);
    expect(await slow.untilClosed()).toEqual([['HTTP/1.1 408 Request Timeout', 'Connection: close']]);
    await dribbling.closed;
    // Connected and silent: it holds a slot as a slow one does, and is cut the same way.
    await silent.untilClosed();
    expect(idle.closed).toBe(false);
    dribbling.socket.destroy();
    idle.socket.write('GET /guard/check HTTP/1.1\r\nHost: g\r\n\r\n');
    expect((await idle.until(2))[1][0]).toBe('HTTP/1.1 204 No Content');
  });

  it('reads no more from a client that reads no answers, then answers every request once it reads', async () => {
    const port = await start();
    const client = await open(port, { read: false });
    const total = 100_000;
    client.socket.write('GET /guard/check HTTP/1.1\r\nHost: g\r\n\r\n'.repeat(total));
    const server = serverSockets.at(-1)!;
    await waitFor(() => server.isPaused(), { what: 'the server to stop reading from a client that reads nothing' });
    // What it holds for that client: less than its write buffer's mark plus one chunk's answers.
    expect(server.writableLength).toBeLessThan(server.writableHighWaterMark + 64 * 1024);
    client.socket.resume();
    const answers = await client.until(total);
    expect(answers).toHaveLength(total);
    expect(answers.every((answer) => answer[0] === 'HTTP/1.1 204 No Content')).toBe(true);
  });
});

describe('the answers as bytes', () => {
  it('frames a body as Node does: chunked on HTTP/1.1, up to the close on HTTP/1.0, none for HEAD or 204', () => {
    const text = (framing: Framing, head: boolean, status = 404) =>
      replyBytes(status, { 'x-a': 'b' }, '{"é":1}', framing, head)
        .toString()
        .replace(/Date: [^\r]+\r\n/, '');
    expect(text(Framing.KeepAlive, false)).toBe(
      'HTTP/1.1 404 Not Found\r\nx-a: b\r\nConnection: keep-alive\r\nKeep-Alive: timeout=65\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n{"é":1}\r\n0\r\n\r\n',
    );
    expect(text(Framing.Close, true)).toBe('HTTP/1.1 404 Not Found\r\nx-a: b\r\nConnection: close\r\n\r\n');
    expect(text(Framing.Close10, false)).toBe('HTTP/1.1 404 Not Found\r\nx-a: b\r\nConnection: close\r\n\r\n{"é":1}');
    expect(text(Framing.KeepAlive, false, 204)).toBe('HTTP/1.1 204 No Content\r\nx-a: b\r\nConnection: keep-alive\r\nKeep-Alive: timeout=65\r\n\r\n');
  });
});
