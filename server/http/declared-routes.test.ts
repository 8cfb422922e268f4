import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiTokenAuthenticator, generateApiToken } from '../auth/api-tokens';
import { internalToken } from '../auth/keys';
import { createApiToken } from '../queries/api-tokens';
import { api, createMigratedDatabase, silentLogger, TEST_SECRET, testRoute, type MigratedDatabase } from '../test-support';
import { createHttpServer, listen } from './http-server';
import { Router, sendJson } from './router';

describe('routes declare who may call them, and the router enforces it before the handler', () => {
  let db: MigratedDatabase;
  let server: Server;
  let port: number;
  let tokens: ApiTokenAuthenticator;
  const reached: string[] = [];
  const secrets: Record<'viewer' | 'operator' | 'eventsOnly', string> = { viewer: '', operator: '', eventsOnly: '' };

  beforeAll(async () => {
    db = await createMigratedDatabase('sqlite');
    const issue = async (name: keyof typeof secrets, role: 'viewer' | 'operator', scopes: Array<'events:write'> = []) => {
      const generated = generateApiToken();
      await createApiToken(db.database.prisma, { id: name, name, prefix: generated.prefix, tokenHash: generated.tokenHash, role, scopes, createdById: null });
      secrets[name] = generated.token;
    };
    await issue('viewer', 'viewer');
    await issue('operator', 'operator');
    await issue('eventsOnly', 'operator', ['events:write']);
    tokens = new ApiTokenAuthenticator(db.database);
    const router = new Router()
      .authenticateWith({ tokens, secret: TEST_SECRET })
      .add({ ...testRoute('GET', '/open', 'public'), handler: (ctx) => sendJson(ctx.res, 200, ctx.principal) })
      .add({
        ...testRoute('POST', '/isolate', 'isolations:write'),
        body: z.object({ source: z.string().min(1) }),
        query: z.object({ dry: z.enum(['yes', 'no']).default('no') }),
        handler: (ctx) => {
          reached.push('isolate');
          sendJson(ctx.res, 200, { by: ctx.principal.name, source: ctx.body.source, dry: ctx.query.dry });
        },
      })
      .add({ ...testRoute('GET', '/internal', 'internal'), handler: (ctx) => sendJson(ctx.res, 200, ctx.principal) })
      .add({ ...testRoute('POST', '/push/:token', 'push-token'), handler: (ctx) => sendJson(ctx.res, 200, { length: ctx.principal.token.length }) });
    server = createHttpServer(router, silentLogger());
    port = await listen(server, 0, '127.0.0.1');
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await tokens.close();
    await db.destroy();
  });

  it('answers 401 without a token and 403 below the role or outside the scope, and never runs the handler', async () => {
    expect(await api(port, '/isolate', { json: { source: '192.0.2.1' } })).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    expect((await api(port, '/isolate', { json: { source: '192.0.2.1' }, token: 'vgl_not_a_token' })).status).toBe(401);
    expect((await api(port, '/isolate', { json: { source: '192.0.2.1' }, token: secrets.viewer })).status).toBe(403);
    expect((await api(port, '/isolate', { json: { source: '192.0.2.1' }, token: secrets.eventsOnly })).status).toBe(403);
    expect(reached).toEqual([]);
  });

  it('checks the caller before the body, so a stranger learns nothing from validation', async () => {
    expect((await api(port, '/isolate', { raw: '{"source":' })).status).toBe(401);
    expect((await api(port, '/isolate?dry=maybe', { json: {} })).status).toBe(401);
  });

  it('hands the handler the principal and the body and query it parsed', async () => {
    expect(await api(port, '/isolate?dry=yes', { json: { source: '192.0.2.1' }, token: secrets.operator })).toMatchObject({
      status: 200,
      body: { by: 'operator', source: '192.0.2.1', dry: 'yes' },
    });
    expect(await api(port, '/isolate?dry=maybe', { json: { source: 'x' }, token: secrets.operator })).toMatchObject({
      status: 422,
      body: { error: { code: 'invalid_query', message: expect.stringContaining('dry:') } },
    });
    expect(await api(port, '/isolate', { json: { source: '' }, token: secrets.operator })).toMatchObject({
      status: 422,
      body: { error: { code: 'invalid_request', message: expect.stringContaining('source:') } },
    });
  });

  it('admits the web app to internal routes by the key derived from the secret, and nothing else', async () => {
    expect(await api(port, '/internal', { token: internalToken(TEST_SECRET) })).toMatchObject({ status: 200, body: { kind: 'internal' } });
    expect((await api(port, '/internal', { token: secrets.operator })).status).toBe(401);
    expect((await api(port, '/internal')).status).toBe(401);
  });

  it('refuses what cannot be a push token as an unknown one, and passes a well-formed one to the handler', async () => {
    expect((await api(port, '/push/short', { method: 'POST' })).status).toBe(404);
    expect(await api(port, `/push/${'a'.repeat(20)}`, { method: 'POST' })).toMatchObject({ status: 200, body: { length: 20 } });
  });

  it('refuses every checked route while it has nothing to check against', async () => {
    const bare = new Router()
      .add({ ...testRoute('GET', '/open', 'public'), handler: (ctx) => sendJson(ctx.res, 200, {}) })
      .add({ ...testRoute('GET', '/read', 'health:read'), handler: (ctx) => sendJson(ctx.res, 200, {}) });
    const other = createHttpServer(bare, silentLogger());
    const otherPort = await listen(other, 0, '127.0.0.1');
    try {
      expect((await api(otherPort, '/open')).status).toBe(200);
      expect((await api(otherPort, '/read', { token: secrets.operator })).status).toBe(503);
    } finally {
      other.close();
    }
  });

  it('tells a standby which requests it answers itself, by path, whatever the query or method', () => {
    const router = new Router()
      .add({ ...testRoute('GET', '/healthz', 'public'), standby: 'local', handler: () => undefined })
      .add({ ...testRoute('POST', '/act/:id', 'internal'), handler: () => undefined });
    expect(router.answersOnStandby('/healthz')).toBe(true);
    expect(router.answersOnStandby('/healthz?verbose=1')).toBe(true);
    expect(router.answersOnStandby('/act/7')).toBe(false);
    expect(router.answersOnStandby('/nowhere')).toBe(false);
    expect(router.answersOnStandby(undefined)).toBe(false);
  });

  it('lists what it enforces, and a route without `auth` does not compile', () => {
    const router = new Router().add({ ...testRoute('GET', '/a', 'audit:read'), handler: () => undefined });
    expect(router.declarations().map(({ method, path, auth }) => ({ method, path, auth }))).toEqual([{ method: 'GET', path: '/a', auth: 'audit:read' }]);
    // Never called: it is here for the compiler, which must refuse it.
    const forgetful = () =>
      // @ts-expect-error -- `auth` is required: nobody may forget to decide who calls a route.
      router.add({ method: 'GET', path: '/b', handler: () => undefined });
    expect(forgetful).toBeTypeOf('function');
  });
});
