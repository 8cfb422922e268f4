import { defenseContracts } from '../contracts';
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../log';
import { api, testRoute, waitFor } from '../test-support';
import { createHttpServer, listen } from './http-server';
import { HttpError, Router, sendJson } from './router';

type Line = Record<string, unknown>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The worker's real logger, writing parsed lines into an array. */
function capture(level: string): { lines: Line[]; log: ReturnType<typeof createLogger> } {
  const lines: Line[] = [];
  return { lines, log: createLogger('worker', level, { write: (line: string) => void lines.push(JSON.parse(line) as Line) }) };
}

function testRouter(): Router {
  return new Router()
    .add({
      ...testRoute('GET', '/whoami', 'public'),
      handler: (ctx) => {
        ctx.log.info({ step: 'inside' }, 'handler log');
        sendJson(ctx.res, 200, { requestId: ctx.requestId });
      },
    })
    .add({ ...testRoute('GET', '/healthz', 'public'), handler: ({ res }) => sendJson(res, 200, { status: 'ok' }) })
    .add({ ...testRoute('POST', '/api/v1/push/:token', 'public'), handler: ({ res, params }) => sendJson(res, 200, { length: params.token.length }) })
    .add({
      ...testRoute('GET', '/forbidden', 'public'),
      handler: () => {
        throw new HttpError(403, 'forbidden', 'no');
      },
    })
    .add({
      ...testRoute('GET', '/boom', 'public'),
      handler: () => {
        throw new Error('cannot parse the reply of postgresql://vigil:db-password@db:5432/vigil');
      },
    })
    .add({
      ...testRoute('GET', '/db-down', 'public'),
      handler: () => {
        throw new Error('connect ECONNREFUSED postgresql://vigil:db-password@db:5432/vigil');
      },
    })
    .addFast(defenseContracts.guardCheck, (_req, res) => {
      res.writeHead(204);
      res.end();
    });
}

describe('request ids and access lines on the worker', () => {
  let server: Server | null = null;

  async function start(level: string, isReady?: () => boolean) {
    const captured = capture(level);
    server = createHttpServer(testRouter(), captured.log, isReady);
    const port = await listen(server, 0, '127.0.0.1');
    const accessLines = () => captured.lines.filter((line) => line.msg === 'request completed');
    return { port, lines: captured.lines, accessLines };
  }

  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = null;
  });

  it('echoes a sane incoming id, hands it to the handler and binds it to the handler’s logger', async () => {
    const { port, lines } = await start('info');
    const res = await api<{ requestId: string }>(port, '/whoami', { headers: { 'x-request-id': 'nginx-7f3a:42.1' } });
    expect(res.headers.get('x-request-id')).toBe('nginx-7f3a:42.1');
    expect(res.body.requestId).toBe('nginx-7f3a:42.1');
    expect(lines.find((line) => line.msg === 'handler log')).toMatchObject({ reqId: 'nginx-7f3a:42.1', step: 'inside', level: 30 });
  });

  it('makes a fresh UUID when none was sent', async () => {
    const { port } = await start('info');
    const first = await api<{ requestId: string }>(port, '/whoami');
    const second = await api<{ requestId: string }>(port, '/whoami');
    expect(first.headers.get('x-request-id')).toMatch(UUID);
    expect(first.body.requestId).toBe(first.headers.get('x-request-id'));
    expect(second.body.requestId).not.toBe(first.body.requestId);
  });

  it('replaces a malformed id instead of echoing it', async () => {
    const { port } = await start('info');
    for (const bad of ['a'.repeat(129), 'has space', '<script>', 'semi;colon', 'ünïcode', '']) {
      const res = await api(port, '/whoami', { headers: { 'x-request-id': bad } });
      expect(res.headers.get('x-request-id'), JSON.stringify(bad)).toMatch(UUID);
    }
    expect((await api(port, '/whoami', { headers: { 'x-request-id': 'b'.repeat(128) } })).headers.get('x-request-id')).toBe('b'.repeat(128));
  });

  it('writes one access line per request: id, method, path without query, status, duration, never headers', async () => {
    const { port, accessLines } = await start('info');
    await api(port, '/whoami?token=query-secret-value&page=2', {
      headers: { 'x-request-id': 'access-1', authorization: 'Bearer header-secret-value', cookie: 'vigil_session=cookie-secret-value' },
    });
    await api(port, '/nowhere?x=1', { headers: { 'x-request-id': 'access-2' } });
    const [found, missing] = await waitFor(() => (accessLines().length >= 2 ? accessLines() : null), { what: 'two access lines' });
    expect(found).toMatchObject({ level: 30, reqId: 'access-1', method: 'GET', path: '/whoami', status: 200, process: 'worker' });
    expect(typeof found.ms).toBe('number');
    expect(missing).toMatchObject({ reqId: 'access-2', path: '/nowhere', status: 404 });
    const raw = JSON.stringify(accessLines());
    for (const secret of ['query-secret-value', 'header-secret-value', 'cookie-secret-value', 'page=2']) expect(raw).not.toContain(secret);
    expect(Object.keys(found)).not.toContain('headers');
  });

  it('logs a push token path as its route, not the token', async () => {
    const { port, accessLines } = await start('info');
    const token = 'pushtoken0123456789abcdef';
    expect((await api(port, `/api/v1/push/${token}`, { method: 'POST' })).status).toBe(200);
    expect((await api(port, `/api/v1/push/${token}`, { method: 'DELETE' })).status).toBe(405);
    const lines = await waitFor(() => (accessLines().length >= 2 ? accessLines() : null), { what: 'push access lines' });
    expect(lines.map((line) => [line.path, line.status])).toEqual([
      ['/api/v1/push/:token', 200],
      ['/api/v1/push/:token', 405],
    ]);
    expect(JSON.stringify(lines)).not.toContain(token);
  });

  it('keeps expected failures out of the error log and logs an unexpected one once, with the id and no credentials', async () => {
    const { port, lines } = await start('info');
    expect((await api(port, '/forbidden')).status).toBe(403);
    expect((await api(port, '/boom', { headers: { 'x-request-id': 'boom-1' } })).status).toBe(500);
    // An unreachable database is an outage to retry, not a fault: 503, and a warning rather than an error.
    const down = await api<{ error: { code: string } }>(port, '/db-down', { headers: { 'x-request-id': 'down-1' } });
    expect(down).toMatchObject({ status: 503, body: { error: { code: 'database_unavailable' } } });
    await waitFor(() => lines.filter((line) => line.msg === 'request completed').length >= 3, { what: 'access lines' });
    const errors = lines.filter((line) => (line.level as number) >= 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      msg: 'request failed',
      reqId: 'boom-1',
      method: 'GET',
      path: '/boom',
      err: { type: 'Error', message: 'cannot parse the reply of postgresql://[redacted]@db:5432/vigil' },
    });
    expect(lines.find((line) => line.reqId === 'down-1' && line.level === 40)).toMatchObject({
      msg: 'request needs the database, which cannot be reached',
      path: '/db-down',
    });
    expect(JSON.stringify(lines)).not.toContain('db-password');
  });

  it('logs health checks at debug only', async () => {
    const quiet = await start('info');
    await api(quiet.port, '/healthz');
    await api(quiet.port, '/whoami');
    await waitFor(() => quiet.accessLines().length >= 1, { what: 'the /whoami line' });
    expect(quiet.accessLines().map((line) => line.path)).toEqual(['/whoami']);
    server?.closeAllConnections();
    server?.close();

    const verbose = await start('debug');
    await api(verbose.port, '/healthz');
    expect(await waitFor(() => verbose.accessLines()[0], { what: 'the /healthz line' })).toMatchObject({ level: 20, path: '/healthz', status: 200 });
  });

  it('answers the guard without making an id, echoes one it was given, and logs it only at debug', async () => {
    const quiet = await start('info');
    const bare = await api(quiet.port, '/guard/check?uri=/x');
    expect(bare.status).toBe(204);
    expect(bare.headers.get('x-request-id')).toBeNull();
    expect((await api(quiet.port, '/guard/check', { headers: { 'x-request-id': 'nginx-1' } })).headers.get('x-request-id')).toBe('nginx-1');
    expect((await api(quiet.port, '/guard/check', { headers: { 'x-request-id': 'bad id' } })).headers.get('x-request-id')).toBeNull();
    expect(quiet.lines).toEqual([]);
    server?.closeAllConnections();
    server?.close();

    const verbose = await start('debug');
    const res = await api(verbose.port, '/guard/check?token=abc');
    expect(res.headers.get('x-request-id')).toMatch(UUID);
    expect(verbose.accessLines()).toEqual([expect.objectContaining({ level: 20, reqId: res.headers.get('x-request-id'), path: '/guard/check', status: 204 })]);
  });

  it('gives the "starting" answer an id too', async () => {
    const { port, accessLines } = await start('info', () => false);
    const res = await api(port, '/whoami', { headers: { 'x-request-id': 'early-1' } });
    expect(res.status).toBe(503);
    expect(res.headers.get('x-request-id')).toBe('early-1');
    expect(await waitFor(() => accessLines()[0], { what: 'the 503 line' })).toMatchObject({ reqId: 'early-1', status: 503 });
  });
});
