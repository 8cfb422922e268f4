import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { api, capturingLogger, silentLogger, testRoute } from '../test-support';
import { createHttpServer, listen, PortInUseError } from './http-server';
import { MAX_JSON_DEPTH } from '@/lib/json-body';
import { HttpError, Router, sendJson } from './router';

describe('Router over a real HTTP server', () => {
  let server: Server;
  let port: number;
  const { log, lines } = capturingLogger('error');
  const unexpected = lines;

  beforeAll(async () => {
    const router = new Router()
      .add({
        ...testRoute('GET', '/items/:id/parts/:part', 'public'),
        handler: ({ res, params, url }) => sendJson(res, 200, { params, q: url.searchParams.get('q') }),
      })
      .add({ ...testRoute('POST', '/echo', 'public'), handler: async (ctx) => sendJson(ctx.res, 201, await ctx.json(z.object({ n: z.number().int() }))) })
      .add({ ...testRoute('POST', '/anything', 'public'), handler: async (ctx) => sendJson(ctx.res, 200, await ctx.json(z.unknown())) })
      .add({
        ...testRoute('GET', '/teapot', 'public'),
        handler: () => {
          throw new HttpError(418, 'teapot', 'short and stout', { 'x-brew': 'earl grey' });
        },
      })
      .add({
        ...testRoute('GET', '/boom', 'public'),
        handler: () => {
          throw new Error('database password is hunter2');
        },
      })
      .add({
        ...testRoute('GET', '/half', 'public'),
        handler: ({ res }) => {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.write('partial');
          throw new Error('failed after the headers were sent');
        },
      });
    server = createHttpServer(router, log);
    port = await listen(server, 0, '127.0.0.1');
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('matches path parameters, decoding them, and passes the query string', async () => {
    const res = await api(port, '/items/a%20b/parts/7?q=x');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ params: { id: 'a b', part: '7' }, q: 'x' });
  });

  it('does not match a partial path', async () => {
    expect((await api(port, '/items/1/parts/2/extra')).status).toBe(404);
    expect((await api(port, '/echo/more', { json: { n: 1 } })).status).toBe(404);
  });

  it('parses and validates JSON bodies', async () => {
    expect(await api(port, '/echo', { json: { n: 5 } })).toMatchObject({ status: 201, body: { n: 5 } });
    expect(await api(port, '/echo', { json: { n: 'five' } })).toMatchObject({
      status: 422,
      body: { error: { code: 'invalid_request', message: expect.stringContaining('n:') } },
    });
  });

  it('answers a path with a broken % escape with 400 invalid_path, before any handler and without logging an error', async () => {
    const before = unexpected.length;
    const res = await api(port, '/items/%E0%A4%A/parts/%zz');
    expect(res).toMatchObject({ status: 400, body: { error: { code: 'invalid_path' } } });
    expect(unexpected.length).toBe(before);
  });

  it('answers a path parameter no store can hold (NUL, a lone surrogate) with 400 invalid_path', async () => {
    for (const path of ['/items/%00/parts/1', '/items/a/parts/x%00y', '/items/%ED%A0%80/parts/1'])
      expect(await api(port, path)).toMatchObject({ status: 400, body: { error: { code: 'invalid_path' } } });
  });

  it('answers a path that looks like a host (`//x`) as a path, and keeps serving', async () => {
    for (const path of ['//', '//a:b@', '//%zz']) expect(await api(port, path)).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect((await api(port, '/items/1/parts/2')).status).toBe(200);
  });

  it('refuses JSON nested past the limit with 400 before validation, even when the schema takes anything', async () => {
    const before = unexpected.length;
    for (const depth of [2_000, 100_000]) {
      const res = await api(port, '/anything', { raw: `${'['.repeat(depth)}${']'.repeat(depth)}` });
      expect(res).toMatchObject({ status: 400, body: { error: { code: 'json_too_deep' } } });
    }
    const unclosed = await api(port, '/anything', { raw: '{"a":'.repeat(5_000) });
    expect(unclosed.status).toBe(400);
    expect(unexpected.length).toBe(before);
  });

  it('accepts JSON nested up to the limit', async () => {
    const depth = MAX_JSON_DEPTH;
    const res = await api(port, '/anything', { raw: `${'['.repeat(depth)}${']'.repeat(depth)}` });
    expect(res.status).toBe(200);
  });

  it('sends an HttpError with its status, code and headers', async () => {
    const res = await api(port, '/teapot');
    expect(res.status).toBe(418);
    expect(res.headers.get('x-brew')).toBe('earl grey');
    expect(res.body).toEqual({ error: { code: 'teapot', message: 'short and stout' } });
  });

  it('answers an unexpected error with a 500 that leaks nothing, and logs it once', async () => {
    const before = unexpected.length;
    const res = await api(port, '/boom');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { code: 'internal_error', message: 'the request could not be completed; the details are in the server log' } });
    expect(res.text).not.toContain('hunter2');
    expect(unexpected.length).toBe(before + 1);
    expect(unexpected.at(-1)).toMatchObject({
      level: 50,
      method: 'GET',
      path: '/boom',
      msg: 'request failed',
      err: { message: 'database password is hunter2' },
    });
  });

  it('does not try to send a second response when the handler failed mid-response', async () => {
    const before = unexpected.length;
    const status = await fetch(`http://127.0.0.1:${port}/half`).then(
      (r) => r.status,
      () => 'reset',
    );
    expect([200, 'reset']).toContain(status);
    expect(unexpected.length).toBe(before + 1);
    // and the server is still serving
    expect((await api(port, '/items/1/parts/2')).status).toBe(200);
  });

  it('rejects listen() on a busy port with PortInUseError naming the variable', async () => {
    const other = createHttpServer(new Router(), silentLogger());
    const error = await listen(other, port, '127.0.0.1', 'PORT').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortInUseError);
    expect((error as Error).message).toContain('(PORT)');
  });

  it('passes other listen errors through unchanged', async () => {
    const other = createHttpServer(new Router(), silentLogger());
    const error = (await listen(other, 0, '203.0.113.1').catch((e: unknown) => e)) as NodeJS.ErrnoException;
    expect(error).not.toBeInstanceOf(PortInUseError);
    expect(error.code).toBe('EADDRNOTAVAIL');
  });
});

describe('Router answers with what handlers return, checked against the declared response', () => {
  const declared = { ...testRoute('GET', '/shape', 'public'), response: z.object({ count: z.number().int() }) };
  const created = { ...testRoute('POST', '/made', 'public'), status: 201, response: z.object({ id: z.string() }) };
  const empty = { ...testRoute('POST', '/nothing', 'public'), status: 204, response: z.void() };

  async function serve(router: Router): Promise<{ port: number; close: () => void }> {
    const server = createHttpServer(router, silentLogger());
    const port = await listen(server, 0, '127.0.0.1');
    return { port, close: () => server.close() };
  }

  it('sends the returned body with the declared status, and an empty answer for a void route', async () => {
    const { port, close } = await serve(
      new Router({ checkResponses: true })
        .add({ ...declared, handler: () => ({ count: 3 }) })
        .add({ ...created, handler: () => ({ id: 'a1' }) })
        .add({ ...empty, handler: () => undefined }),
    );
    try {
      expect(await api(port, '/shape')).toMatchObject({ status: 200, body: { count: 3 } });
      expect(await api(port, '/made', { method: 'POST' })).toMatchObject({ status: 201, body: { id: 'a1' } });
      const nothing = await api(port, '/nothing', { method: 'POST' });
      expect(nothing.status).toBe(204);
      expect(nothing.text).toBe('');
    } finally {
      close();
    }
  });

  it('catches a handler whose body its declared response does not describe: a 500, logged naming the route', async () => {
    const { log, lines } = capturingLogger('error');
    // A cast stands in for a handler whose type drifted from its contract (a JSON field renamed, a number sent as text).
    const drifted = () => ({ count: 'three' }) as unknown as { count: number };
    const server = createHttpServer(new Router({ checkResponses: true }).add({ ...declared, handler: drifted }), log);
    const port = await listen(server, 0, '127.0.0.1');
    try {
      const res = await api(port, '/shape');
      expect(res).toMatchObject({ status: 500, body: { error: { code: 'invalid_response', message: expect.stringContaining('GET /shape') } } });
      expect(lines.filter((line) => line.route === 'GET /shape')).toEqual([expect.objectContaining({ level: 50, issues: expect.stringContaining('count') })]);
    } finally {
      server.close();
    }
  });

  it('checks answers under the test runner by default, and trusts handlers when told to', async () => {
    const drifted = () => ({ count: 'three' }) as unknown as { count: number };
    const checked = await serve(new Router().add({ ...declared, handler: drifted }));
    const trusting = await serve(new Router({ checkResponses: false }).add({ ...declared, handler: drifted }));
    try {
      expect((await api(checked.port, '/shape')).status).toBe(500);
      expect(await api(trusting.port, '/shape')).toMatchObject({ status: 200, body: { count: 'three' } });
    } finally {
      checked.close();
      trusting.close();
    }
  });
});
