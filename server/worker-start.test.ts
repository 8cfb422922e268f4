import { existsSync } from 'node:fs';
import { createServer, connect, type Server } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { PortInUseError } from './http/http-server';
import { MigrationError } from './db/migrate';
import { startWorker } from './worker';
import { createTestDatabase } from './test-support/postgres';
import {
  api,
  findFreePort,
  makeTempDir,
  silentLogger,
  spawnTs,
  TEST_API_TOKEN,
  waitForHttp,
  workerEnvFor,
  workerEnvVars,
  FixedSampler,
  type TempDir,
} from './test-support';

function occupyPort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address ? address.port : 0 });
    });
  });
}

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('starting the worker in-process', () => {
  let tmp: TempDir;
  let busy: { server: Server; port: number } | null;

  beforeEach(() => {
    tmp = makeTempDir('vigil-start-');
    busy = null;
  });

  afterEach(async () => {
    await new Promise<void>((resolve) => (busy ? busy.server.close(() => resolve()) : resolve()));
    tmp.remove();
  });

  it('rejects with PortInUseError on a port already in use, before touching the database', async () => {
    busy = await occupyPort();
    const env = { ...workerEnvFor({ dataDir: tmp.join('data') }), port: busy.port };
    const error = await startWorker({ env, sampler: new FixedSampler(), log: silentLogger() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortInUseError);
    expect((error as PortInUseError).port).toBe(busy.port);
    expect((error as Error).message).toBe(`port ${busy.port} is already in use (WORKER_PORT); stop the process that holds it or choose another port`);
    expect(existsSync(tmp.join('data', 'vigil.db'))).toBe(false);
  });

  it('rejects with MigrationError when an applied migration was edited', async () => {
    const env = workerEnvFor({ dataDir: tmp.join('data') });
    const worker = await startWorker({ env, sampler: new FixedSampler(), log: silentLogger() });
    await worker.close();
    const conn = new BetterSqlite3(tmp.join('data', 'vigil.db'));
    conn.prepare(`UPDATE _vigil_migrations SET checksum = 'x' WHERE name = '0001_init'`).run();
    conn.close();
    await expect(startWorker({ env, sampler: new FixedSampler(), log: silentLogger() })).rejects.toBeInstanceOf(MigrationError);
  });

  it('releases the port when a start fails after listening', async () => {
    const port = await findFreePort();
    const env = { ...workerEnvFor({ dataDir: tmp.join('data') }), port };
    const first = await startWorker({ env, sampler: new FixedSampler(), log: silentLogger() });
    await first.close();
    const conn = new BetterSqlite3(tmp.join('data', 'vigil.db'));
    conn.prepare(`UPDATE _vigil_migrations SET checksum = 'x' WHERE name = '0001_init'`).run();
    conn.close();
    await expect(startWorker({ env, sampler: new FixedSampler(), log: silentLogger() })).rejects.toBeInstanceOf(MigrationError);
    expect(await isListening(port)).toBe(false);
  });

  it('starts degraded when PostgreSQL is unreachable, and keeps answering', async () => {
    const env = workerEnvFor({ dataDir: tmp.join('data'), databaseUrl: 'postgresql://postgres@127.0.0.1:1/nowhere' });
    const worker = await startWorker({ env, sampler: new FixedSampler(), log: silentLogger() });
    try {
      const health = await api<{ status: string; healthScore: number; database: { ok: boolean; pendingEvents: number } }>(worker.port, '/healthz');
      expect(health.status).toBe(200);
      expect(health.body.status).toBe('degraded');
      expect(health.body.healthScore).toBe(100);
      expect(health.body.database.ok).toBe(false);
      // worker.started could not be committed: it waits in the spool.
      expect(health.body.database.pendingEvents).toBeGreaterThanOrEqual(1);
    } finally {
      await worker.close();
    }
  });

  it('samples the real host when no sampler is given, and has no API token unless VIGIL_API_TOKEN is set', async () => {
    const env = workerEnvFor({ dataDir: tmp.join('data'), apiToken: null });
    expect(env.apiToken).toBeNull();
    const worker = await startWorker({ env, log: silentLogger() });
    try {
      const health = await api<{ healthScore: number }>(worker.port, '/healthz');
      expect(health.body.healthScore).toBeGreaterThanOrEqual(0);
      expect(health.body.healthScore).toBeLessThanOrEqual(100);
      expect(worker.monitor.current()!.sample.cores).toBeGreaterThan(0);
      expect((await api(worker.port, '/api/v1/features', { token: TEST_API_TOKEN })).status).toBe(401);
      expect(await worker.database.prisma.apiToken.count()).toBe(0);
    } finally {
      await worker.close();
    }
  });

  it('starts, records worker.started, and records worker.stopped on close()', async () => {
    const env = workerEnvFor({ dataDir: tmp.join('data') });
    const worker = await startWorker({ env, sampler: new FixedSampler(), log: silentLogger() });
    expect(worker.port).toBeGreaterThan(0);
    expect(worker.database.provider).toBe('sqlite');
    expect((await api(worker.port, '/healthz')).status).toBe(200);
    await worker.close('test over');
    await worker.close('twice is fine');
    expect(await isListening(worker.port)).toBe(false);
    const conn = new BetterSqlite3(tmp.join('data', 'vigil.db'), { readonly: true });
    const rows = conn.prepare('SELECT "type", "reason" FROM "AuditEvent" ORDER BY "seq"').all() as Array<{ type: string; reason: string | null }>;
    conn.close();
    expect(rows.map((r) => r.type)).toEqual(['worker.started', 'worker.stopped']);
    expect(rows[1].reason).toBe('test over');
  });

  it('answers /healthz 503 `stopping` from the moment its close begins, so nothing more is routed to it', async () => {
    // On PostgreSQL the close waits on the network (its last audit event, the pool), and requests are answered meanwhile.
    const database = await createTestDatabase();
    try {
      const env = workerEnvFor({ dataDir: tmp.join('data'), databaseUrl: database.url });
      const worker = await startWorker({ env, sampler: new FixedSampler(), log: silentLogger() });
      expect((await api(worker.port, '/healthz')).status).toBe(200);
      const closing = worker.close('test over');
      const during = await api<{ error?: { code: string } }>(worker.port, '/healthz');
      await closing;
      expect({ status: during.status, code: during.body.error?.code }).toEqual({ status: 503, code: 'stopping' });
    } finally {
      await database.drop();
    }
  });
});

describe('the worker process (node --import tsx server/main.ts)', () => {
  let tmp: TempDir;
  beforeEach(() => {
    tmp = makeTempDir('vigil-main-');
  });
  afterEach(() => tmp.remove());

  it('exits 1 naming WORKER_PORT when it is not a number', async () => {
    const proc = spawnTs('server/main.ts', { env: { VIGIL_DATA_DIR: tmp.join('data'), WORKER_PORT: 'abc', LOG_LEVEL: 'silent' } });
    const { code } = await proc.exited;
    expect(code).toBe(1);
    expect(proc.stderr()).toContain('vigil worker: invalid environment');
    expect(proc.stderr()).toContain('WORKER_PORT: must be a port number (got "abc")');
    // an expected failure is one clear line per problem, not a stack trace
    expect(proc.stderr()).not.toMatch(/\n\s+at /);
  });

  it('exits 1 saying the port is already in use', async () => {
    const busy = await occupyPort();
    try {
      const proc = spawnTs('server/main.ts', {
        env: { VIGIL_DATA_DIR: tmp.join('data'), WORKER_PORT: String(busy.port), WORKER_HOST: '127.0.0.1', LOG_LEVEL: 'silent' },
      });
      const { code } = await proc.exited;
      expect(code).toBe(1);
      expect(proc.stderr()).toContain(`port ${busy.port} is already in use (WORKER_PORT)`);
    } finally {
      await new Promise<void>((resolve) => busy.server.close(() => resolve()));
    }
  });

  it('serves /healthz, and on SIGTERM records the stop, removes its pid file and exits 0', async () => {
    const port = await findFreePort();
    const vars = workerEnvVars({ dataDir: tmp.join('data'), vars: { WORKER_PORT: String(port), LOG_LEVEL: 'info' } });
    const proc = spawnTs('server/main.ts', { env: vars });
    try {
      // /healthz answers as soon as the port is bound; the signal handlers exist only once
      // startWorker has resolved, which it logs as "worker ready".
      await proc.waitForOutput(/"msg":"worker ready"/);
      await waitForHttp(port);
      expect((await api(port, '/healthz')).body).toMatchObject({ status: 'ok', degradation: expect.any(String), defenseMode: 'NORMAL' });
      expect((await api(port, '/api/v1/features', { token: TEST_API_TOKEN })).status).toBe(200);
      expect(existsSync(tmp.join('data', 'worker.pid'))).toBe(true);
      proc.kill('SIGTERM');
      const { code } = await proc.exited;
      expect(code, proc.stderr()).toBe(0);
      expect(existsSync(tmp.join('data', 'worker.pid'))).toBe(false);
      expect(proc.stdout()).not.toContain(TEST_API_TOKEN);
      const conn = new BetterSqlite3(tmp.join('data', 'vigil.db'), { readonly: true });
      const last = conn.prepare('SELECT "type", "reason" FROM "AuditEvent" ORDER BY "seq" DESC LIMIT 1').get() as { type: string; reason: string };
      conn.close();
      expect(last).toEqual({ type: 'worker.stopped', reason: 'received SIGTERM' });
    } finally {
      proc.kill('SIGKILL');
      await proc.exited;
    }
  });
});
