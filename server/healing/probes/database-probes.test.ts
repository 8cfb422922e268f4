import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moduleSchema, readsSecrets, type KeywordModule } from '@/lib/healing/module-schema';
import type { MysqlModule, PostgresModule, RedisModule } from '@/lib/healing/monitor-kinds-schema';
import { POSTGRES_ADMIN_URL } from '../../test-support';
import { startStubHttpServer, type StubHttpServer } from '../../test-support/stub-http-server';
import { applyConditions } from '../probe-conditions';
import { probeHttp } from './http-probe';
import { probeMysql } from './mysql-probe';
import { probePostgres } from './postgres-probe';
import { probeRedis } from './redis-probe';

const define = <T>(fields: Record<string, unknown>) => moduleSchema.parse({ name: 'm', timeoutSeconds: 3, ...fields }) as T;

describe('database probes against the real servers on loopback', () => {
  it('PostgreSQL: connects, runs the query, names the server error', async () => {
    const url = POSTGRES_ADMIN_URL;
    expect(await probePostgres(define<PostgresModule>({ kind: 'postgres', url }))).toMatchObject({
      ok: true,
      message: expect.stringMatching(/^SELECT 1 row\(s\)/),
    });
    const counted = await probePostgres(define<PostgresModule>({ kind: 'postgres', url, query: 'SELECT 41 + 1 AS answer' }));
    expect(applyConditions(counted, ['[BODY][0].answer == 42', '[RESPONSE_TIME] < 3s'])).toMatchObject({ ok: true });
    expect(applyConditions(counted, ['[BODY][0].answer > 42'])).toMatchObject({
      ok: false,
      finding: { kind: 'assertion_failed', evidence: { condition: '[BODY][0].answer > 42' } },
    });
    const missing = await probePostgres(define<PostgresModule>({ kind: 'postgres', url: url.replace(/\/[^/]*$/, '/vigil_no_such_db') }));
    expect(missing).toMatchObject({ ok: false, finding: { evidence: { code: '3D000' } } });
    expect((await probePostgres(define<PostgresModule>({ kind: 'postgres', url: 'postgres://postgres@127.0.0.1:1/x' }))).finding?.kind).toBe(
      'connection_refused',
    );
    expect((await probePostgres(define<PostgresModule>({ kind: 'postgres', url, passwordEnv: 'VIGIL_TEST_UNSET_PASSWORD' }))).message).toBe(
      "VIGIL_TEST_UNSET_PASSWORD is not set in the worker's environment",
    );
  });

  it('MySQL / MariaDB: logs in as root, reads rows, reports SQL and login errors', async () => {
    const mysql = (over: Record<string, unknown>) => probeMysql(define<MysqlModule>({ kind: 'mysql', host: '127.0.0.1', ...over }));
    expect(await mysql({})).toMatchObject({ ok: true, message: expect.stringMatching(/: 1 row\(s\) in/) });
    const rows = await mysql({ query: "SELECT 7 AS n, 'x' AS s, NULL AS z UNION SELECT 8, 'y', NULL" });
    expect(JSON.parse(rows.facts!.body!)).toEqual([
      { n: '7', s: 'x', z: null },
      { n: '8', s: 'y', z: null },
    ]);
    expect(applyConditions(rows, ['len([BODY]) == 2', '[BODY][1].n == 8'])).toMatchObject({ ok: true });
    const done = await mysql({ query: 'DO 1' });
    expect(done.ok, done.message).toBe(true);
    expect((await mysql({ query: 'SELECT * FROM vigil_no_such_table' })).message).toMatch(/^MySQL ERR 1046 \(3D000\)|^MySQL ERR 1146/);
    expect((await mysql({ user: 'vigil_nobody' })).message).toMatch(/^MySQL ERR 1045 \(28000\): Access denied/);
    expect((await mysql({ port: 1 })).finding?.kind).toBe('connection_refused');
  });

  it('Redis: PING answers PONG; a wrong password is named', async () => {
    const redis = define<RedisModule>({ kind: 'redis', host: '127.0.0.1' });
    expect(await probeRedis(redis)).toMatchObject({ ok: true, facts: { body: 'PONG' } });
    process.env.VIGIL_TEST_REDIS_PASSWORD = 'not-the-password';
    try {
      const wrong = await probeRedis(define<RedisModule>({ kind: 'redis', host: '127.0.0.1', passwordEnv: 'VIGIL_TEST_REDIS_PASSWORD' }));
      expect(wrong.ok).toBe(false);
      expect(wrong.message).toMatch(/^AUTH refused: /);
    } finally {
      delete process.env.VIGIL_TEST_REDIS_PASSWORD;
    }
    expect((await probeRedis(define<RedisModule>({ kind: 'redis', host: '127.0.0.1', port: 1 }))).finding?.kind).toBe('connection_refused');
  });

  it('a server that hangs up mid-conversation is a failure, not a hang', async () => {
    const server = createServer((socket) => socket.end('-ERR go away\r\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    expect(await probeRedis(define<RedisModule>({ kind: 'redis', host: '127.0.0.1', port }))).toMatchObject({
      ok: false,
      message: 'PING answered -ERR go away',
    });
    expect((await probeMysql(define<MysqlModule>({ kind: 'mysql', host: '127.0.0.1', port }))).ok).toBe(false);
    server.close();
  });

  it('only admins may name a password variable', () => {
    expect(readsSecrets(define({ kind: 'redis', host: '127.0.0.1', passwordEnv: 'REDIS_PASSWORD' }))).toBe(true);
    expect(readsSecrets(define({ kind: 'redis', host: '127.0.0.1' }))).toBe(false);
    expect(moduleSchema.safeParse({ name: 'm', kind: 'postgres', url: 'postgres://u:secret@127.0.0.1/db' }).error?.issues[0].message).toMatch(
      /no password in the URL/,
    );
    expect(moduleSchema.safeParse({ name: 'm', kind: 'ping', host: '-f' }).success).toBe(false);
  });
});

describe('keyword monitor and conditions on HTTP', () => {
  let server: StubHttpServer;
  beforeAll(async () => {
    server = await startStubHttpServer(
      (_request, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"queue":{"depth":7000},"state":"maintenance"}'),
    );
  });
  afterAll(() => server.close());

  it('finds a word, or with invertKeyword its absence', async () => {
    const keyword = (over: Record<string, unknown>) => probeHttp(define<KeywordModule>({ kind: 'keyword', url: `${server.url}/`, ...over }));
    expect((await keyword({ keyword: 'depth' })).ok).toBe(true);
    expect(await keyword({ keyword: 'healthy' })).toMatchObject({ ok: false, message: 'body lacks "healthy"' });
    expect(await keyword({ keyword: 'maintenance', invertKeyword: true })).toMatchObject({ ok: false, message: 'body contains "maintenance"' });
  });

  it('checks a JSON field of the body against a number', async () => {
    const monitor = define<KeywordModule>({ kind: 'http', url: `${server.url}/`, conditions: ['[STATUS] == 200', '[BODY].queue.depth < 5000'] });
    const result = applyConditions(await probeHttp(monitor), monitor.conditions);
    expect(result).toMatchObject({ ok: false, message: '[BODY].queue.depth < 5000 failed: left side is 7000' });
  });
});
