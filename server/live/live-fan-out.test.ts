import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, ServerToClientEvents } from '@/lib/live/events';
import type { HealthSnapshot } from '@/lib/health/types';
import { issueLiveToken } from '../auth/live-token';
import { SOCKET_IO_ATTACHMENTS_TABLE } from '../ha';
import { createTestDatabase, type TestDatabase } from '../test-support/postgres';
import { silentLogger } from '../test-support/log';
import { createLiveServer, type LiveServer } from './live-server';

const SECRET = 'fan-out-secret-0123456789abcdef0123456789';

interface Replica {
  http: HttpServer;
  pool: pg.Pool;
  live: LiveServer;
  port: number;
}

async function startReplica(url: string): Promise<Replica> {
  const http = createServer();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const live = createLiveServer({
    httpServer: http,
    secret: SECRET,
    log: silentLogger(),
    currentHealth: () => null,
    fanOutPool: pool,
    bindingsInForce: async (bindings) => new Set(bindings),
  });
  return { http, pool, live, port: (http.address() as AddressInfo).port };
}

describe('live events fan out between replicas through PostgreSQL', () => {
  let database: TestDatabase;
  const replicas: Replica[] = [];
  let client: Socket<ServerToClientEvents, ClientToServerEvents>;

  beforeAll(async () => {
    database = await createTestDatabase();
    const setup = new pg.Client({ connectionString: database.url });
    await setup.connect();
    await setup.query(`CREATE TABLE ${SOCKET_IO_ATTACHMENTS_TABLE} (id bigserial UNIQUE, created_at timestamptz DEFAULT NOW(), payload bytea)`);
    await setup.end();
    replicas.push(await startReplica(database.url), await startReplica(database.url));
  });

  afterAll(async () => {
    client?.disconnect();
    for (const replica of replicas) {
      await replica.live.close();
      await replica.pool.end();
    }
    await database?.drop();
  });

  it('a dashboard connected to one replica receives a sample the other emits', async () => {
    const { token } = await issueLiveToken(SECRET, { id: 'api-token-1', name: 'dashboard', role: 'viewer', kind: 'token' });
    client = connect(`http://127.0.0.1:${replicas[1].port}`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    await new Promise<void>((resolve, reject) => {
      client.once('connect', resolve);
      client.once('connect_error', reject);
    });
    const snapshot = { at: new Date().toISOString(), score: 97 } as unknown as HealthSnapshot;
    const received = new Promise<unknown>((resolve) => client.once('health:sample', resolve));
    // The adapter subscribes with LISTEN when it is created; keep emitting until that has taken effect.
    const emitter = setInterval(() => replicas[0].live.emitHealth(snapshot), 100);
    try {
      expect(await received).toEqual(snapshot);
    } finally {
      clearInterval(emitter);
    }
  });
});
