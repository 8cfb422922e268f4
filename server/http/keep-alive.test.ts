import { createServer, type Server } from 'node:http';
import { setTimeout as idle } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../log';
import { testRoute } from '../test-support';
import { IDLE_PAST_NODE_DEFAULT_MS, KeptAliveConnection } from '../test-support/kept-alive-connection';
import { createHttpServer, listen } from './http-server';
import { HEADERS_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS } from './keep-alive';
import { Router, sendJson } from './router';

describe('kept-alive connections to the worker', () => {
  const servers: Server[] = [];
  const connections: KeptAliveConnection[] = [];

  async function serve(server: Server): Promise<KeptAliveConnection> {
    servers.push(server);
    const connection = await KeptAliveConnection.open(await listen(server, 0, '127.0.0.1'));
    connections.push(connection);
    return connection;
  }

  afterEach(async () => {
    for (const connection of connections.splice(0)) connection.destroy();
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('outlast the idle timeouts of the clients and proxies in front of it', () => {
    const server = createHttpServer(new Router(), createLogger('worker', 'silent'));
    // nginx keeps an upstream connection 60 s; undici 4 s unless the server says more.
    expect(server.keepAliveTimeout).toBe(KEEP_ALIVE_TIMEOUT_MS);
    expect(KEEP_ALIVE_TIMEOUT_MS).toBeGreaterThan(60_000);
    expect(server.headersTimeout).toBe(HEADERS_TIMEOUT_MS);
    expect(server.headersTimeout).toBeGreaterThan(server.keepAliveTimeout);
    expect(server.requestTimeout).toBeGreaterThanOrEqual(server.headersTimeout);
  });

  it('answer a request sent after longer idle than Node’s default keep-alive, on the same connection', { timeout: 60_000 }, async () => {
    const router = new Router().add({ ...testRoute('GET', '/ping', 'public'), handler: ({ res }) => sendJson(res, 200, { pong: true }) });
    const worker = await serve(createHttpServer(router, createLogger('worker', 'silent')));
    // Beside it, a server with Node's defaults: proof that this idle is long enough to lose the connection there.
    const plain = await serve(createServer((_req, res) => res.end('ok')));

    expect((await worker.get('/ping')).status).toBe(200);
    expect((await plain.get('/')).status).toBe(200);
    // The idle period is the scenario itself, not a wait for something: its length is what is tested.
    // On a loaded machine it only gets longer, which changes nothing below.
    await Promise.all([idle(IDLE_PAST_NODE_DEFAULT_MS), plain.closed]);

    expect(plain.open).toBe(false);
    expect(worker.open).toBe(true);
    const again = await worker.get('/ping');
    expect(again.status).toBe(200);
    expect(JSON.parse(again.body)).toEqual({ pong: true });
  });
});
