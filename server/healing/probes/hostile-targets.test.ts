import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { moduleSchema } from '@/lib/healing/module-schema';
import type { HttpModule } from '@/lib/healing/module-schema';
import type { RedisModule, SmtpModule } from '@/lib/healing/monitor-kinds-schema';
import { probeHttp } from './http-probe';
import { probeRedis } from './redis-probe';
import { probeSmtp } from './smtp-probe';

/**
 * Targets that answer forever: a probe must end by its own timeout (the socket's idle timeout
 * never fires while bytes keep coming), close the connection, and hold a bounded answer.
 */
const define = <T>(fields: Record<string, unknown>) => moduleSchema.parse({ name: 'm', timeoutSeconds: 1, ...fields }) as T;

const servers: (Server | HttpServer)[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    (server as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
    await new Promise((resolve) => server.close(resolve));
  }
});

interface Hostile {
  port: number;
  /** Resolves with the bytes written to the connection once the probe has closed it. */
  closed: Promise<number>;
}

/** A TCP server whose one connection is fed by `feed` until the other side goes away. */
async function hostileTcp(feed: (socket: Socket) => void): Promise<Hostile> {
  let onClosed!: (bytes: number) => void;
  const closed = new Promise<number>((resolve) => (onClosed = resolve));
  const server = createTcpServer((socket) => {
    socket.on('error', () => {});
    socket.on('close', () => onClosed(socket.bytesWritten));
    feed(socket);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, closed };
}

/** Writes a byte, then another whenever the previous one has left: a line that never ends, at full speed. */
function flood(socket: Socket, chunk: Buffer): void {
  const more = () => {
    while (!socket.destroyed && socket.write(chunk));
  };
  socket.on('drain', more);
  more();
}

/** One byte every 100 ms: each arrival resets an idle timeout, so only a total deadline ends it. */
function trickle(socket: Socket, byte: string): void {
  const timer = setInterval(() => (socket.destroyed ? clearInterval(timer) : socket.write(byte)), 100);
  socket.on('close', () => clearInterval(timer));
}

describe('probes against targets that never finish their answer', () => {
  it('an SMTP greeting that trickles forever ends at the timeout and the connection is closed', async () => {
    const target = await hostileTcp((socket) => trickle(socket, '2'));
    const result = await probeSmtp(define<SmtpModule>({ kind: 'smtp', host: '127.0.0.1', port: target.port }));
    expect(result).toMatchObject({ ok: false, finding: { kind: 'timeout' } });
    await target.closed;
  });

  it('a Redis answer without an end is refused once it passes the answer limit, long before memory runs out', async () => {
    const target = await hostileTcp((socket) => flood(socket, Buffer.alloc(64 * 1024, 'x')));
    const result = await probeRedis(define<RedisModule>({ kind: 'redis', host: '127.0.0.1', port: target.port }));
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/more than 1 MiB/);
    // The probe stopped reading: what the kernel buffers besides the limit, not an endless stream.
    expect(await target.closed).toBeLessThan(64 * 1024 * 1024);
  });

  it('an HTTP body that trickles forever ends at the timeout and the connection is closed', async () => {
    let onClosed!: () => void;
    const closed = new Promise<void>((resolve) => (onClosed = resolve));
    const server = createHttpServer((request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      request.socket.on('close', onClosed);
      const timer = setInterval(() => response.write('.'), 100);
      request.socket.on('close', () => clearInterval(timer));
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const result = await probeHttp(define<HttpModule>({ kind: 'keyword', url, keyword: 'ready' }));
    expect(result).toMatchObject({ ok: false, finding: { kind: 'timeout' } });
    await closed;
  });

  it('an endless HTTP body is read up to the body limit, then the connection is closed and the prefix judged', async () => {
    let written = 0;
    let onClosed!: () => void;
    const closed = new Promise<void>((resolve) => (onClosed = resolve));
    const server = createHttpServer((request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      request.socket.on('close', onClosed);
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const more = () => {
        while (!request.socket.destroyed && response.write(chunk)) written += chunk.length;
      };
      response.on('drain', more);
      response.write('ready ');
      more();
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const result = await probeHttp(define<HttpModule>({ kind: 'keyword', url, keyword: 'ready', timeoutSeconds: 30 }));
    expect(result).toMatchObject({ ok: true, message: 'HTTP 200' });
    await closed;
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });
});
