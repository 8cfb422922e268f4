// The CLI's progress reaches a running worker over loopback HTTP, and a stopped worker costs one failed attempt.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { RecoveryProgress } from '@/lib/recovery/snapshot-schema';
import { internalToken } from '../auth/keys';
import { findFreePort } from '../test-support';
import { workerRelay } from './recovery-context';

const progress = (filesDone: number): RecoveryProgress => ({
  operationId: '00000000-0000-4000-8000-000000000000',
  operation: 'create',
  snapshot: 's',
  phase: 'hash',
  filesDone,
  filesTotal: 2,
  bytesDone: 0,
  bytesTotal: 0,
  etaMs: null,
  startedAt: new Date(0).toISOString(),
  finished: false,
});

const servers: Array<ReturnType<typeof createServer>> = [];
afterEach(() => servers.splice(0).forEach((server) => server.close()));

describe('workerRelay', () => {
  it('posts each update in order with the internal token', async () => {
    const received: { auth: string | undefined; body: RecoveryProgress }[] = [];
    const server = createServer((request: IncomingMessage, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        received.push({ auth: request.headers.authorization, body: JSON.parse(body) as RecoveryProgress });
        response.writeHead(202).end();
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const relay = workerRelay({ workerUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, secret: 'test-secret' });
    relay(progress(1));
    relay(progress(2));
    await relay.drained();
    expect(received.map((r) => r.body.filesDone)).toEqual([1, 2]);
    expect(received[0].auth).toBe(`Bearer ${internalToken('test-secret')}`);
  });

  it('stops trying after the first failure when no worker listens', async () => {
    const port = await findFreePort();
    const relay = workerRelay({ workerUrl: `http://127.0.0.1:${port}`, secret: 'test-secret' });
    relay(progress(1));
    await relay.drained();
    // A server that starts listening afterwards gets nothing: the relay turned itself off.
    const received: string[] = [];
    const server = createServer((request, response) => {
      received.push(request.url ?? '');
      response.writeHead(202).end();
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    relay(progress(2));
    await relay.drained();
    expect(received).toEqual([]);
  });
});
