import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, ServerToClientEvents } from '@/lib/live/events';
import type { HealthSnapshot } from '@/lib/health/types';
import { api, FixedSampler, mintLiveToken, silentLogger, startTestWorker, TEST_API_TOKEN, TEST_SECRET, waitFor, type TestWorker } from '../test-support';
import { createLazyLiveServer } from './lazy-live-server';
import { isSocketIoLoaded } from './live-server';

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** An upgrade request (by default to a path that is not the live feed's): resolves how the server ended it. */
function upgrade(port: number, path = '/not-socket-io'): Promise<string> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { connection: 'Upgrade', upgrade: 'websocket' } });
    req.once('upgrade', () => resolve('upgraded'));
    req.once('response', (res) => resolve(`answered ${res.statusCode}`));
    req.once('error', (error) => resolve(`closed: ${error.message}`));
    req.end();
  });
}

describe('a lazy live server that was closed before any dashboard came', () => {
  it('refuses the socket path instead of creating the socket server, and serves the rest as before', async () => {
    const httpServer = createServer((_req, res) => res.writeHead(204).end());
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    const { port } = httpServer.address() as AddressInfo;
    const live = createLazyLiveServer(
      { httpServer, secret: TEST_SECRET, log: silentLogger(), currentHealth: () => null, bindingsInForce: async () => new Set() },
      () => {
        throw new Error('no socket server may be created after the close');
      },
    );
    try {
      await live.close();
      expect((await fetch(`http://127.0.0.1:${port}/socket.io/?EIO=4&transport=polling`)).status).toBe(503);
      expect(await upgrade(port, '/socket.io/?EIO=4&transport=websocket')).toMatch(/^closed: /);
      expect((await fetch(`http://127.0.0.1:${port}/anything`)).status).toBe(204);
      expect(live.created()).toBe(false);
      expect(live.connectedClients()).toBe(0);
    } finally {
      await new Promise((resolve) => httpServer.close(resolve));
    }
  });
});

// Each test file runs in its own process (vitest's forks pool), so nothing loaded socket.io before this file's worker.
describe('live socket server created by the first dashboard', () => {
  const workers: TestWorker[] = [];
  const sockets: LiveSocket[] = [];
  let sampler: FixedSampler;

  async function open(t: TestWorker, transports: string[]): Promise<LiveSocket> {
    const token = await mintLiveToken({ secret: TEST_SECRET, database: t.worker.database });
    const socket: LiveSocket = connect(`http://127.0.0.1:${t.port}`, { auth: { token }, transports, reconnection: false, forceNew: true, timeout: 5000 });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return socket;
  }

  beforeAll(async () => {
    sampler = new FixedSampler();
    workers.push(await startTestWorker({ sampler }), await startTestWorker());
  });

  afterEach(() => {
    sockets.splice(0).forEach((s) => s.disconnect());
  });

  afterAll(async () => {
    await Promise.all(workers.map((t) => t.destroy()));
  });

  it('does not load socket.io while no dashboard has connected, whatever else the worker does', async () => {
    const [t] = workers;
    expect((await api(t.port, '/healthz')).status).toBe(200);
    expect((await api(t.port, '/api/v1/events', { token: TEST_API_TOKEN, json: { events: [{ type: 'request' }] } })).status).toBe(202);
    // Announcements with nobody to hear them are dropped.
    await t.worker.monitor.tick();
    t.worker.live.emitForecast({ at: new Date().toISOString(), highest: 1 });
    expect(await upgrade(t.port)).toMatch(/^closed: /);
    expect(isSocketIoLoaded()).toBe(false);
    expect(t.worker.live.connectedClients()).toBe(0);
  });

  it('connects the first dashboard on its first attempt over WebSocket, which then receives events', async () => {
    const [t] = workers;
    const socket = await open(t, ['websocket']);
    expect(isSocketIoLoaded()).toBe(true);
    await waitFor(() => t.worker.live.connectedClients() === 1, { what: 'the server to count the first client' });
    const received: HealthSnapshot[] = [];
    socket.on('health:sample', (snapshot) => received.push(snapshot));
    sampler.scoreWillBe(64);
    await t.worker.monitor.tick();
    await waitFor(() => received.length >= 1, { what: 'health:sample on the first socket' });
    expect(received[0]).toMatchObject({ score: 64 });
    // The rest of the API is still answered by the worker, not by socket.io.
    expect((await api(t.port, '/healthz')).status).toBe(200);
  });

  it('connects the first dashboard on its first attempt over long-polling, and it upgrades', async () => {
    const t = workers[1];
    expect(t.worker.live.connectedClients()).toBe(0);
    const socket = await open(t, ['polling', 'websocket']);
    await waitFor(() => socket.io.engine.transport.name === 'websocket', { what: 'the upgrade to WebSocket' });
    const heard = new Promise<number>((resolve) => socket.once('forecast:updated', (update) => resolve(update.highest)));
    t.worker.live.emitForecast({ at: new Date().toISOString(), highest: 42 });
    expect(await heard).toBe(42);
  });

  it('lets socket.io answer other upgrades once it exists, as it always did', async () => {
    const t = workers[1];
    // engine.io ends a foreign upgrade it does not serve; the worker keeps serving its own requests.
    expect(await upgrade(t.port)).toMatch(/^closed: /);
    expect((await api(t.port, '/healthz')).status).toBe(200);
  });
});
