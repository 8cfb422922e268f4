import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@/lib/auth/roles';
import type { Scope } from '@/lib/auth/scopes';
import { api, readWholeChain, startTestWorker, type TestWorker } from '../test-support';
import { connectWebRoutes, disconnectWebRoutes, routeParams, routeRequest } from '../test-support/web-routes';

interface CreatedToken {
  token: { id: string; name: string; prefix: string; role: Role; scopes: Scope[]; secret: string };
}
interface ListedToken {
  id: string;
  name: string;
  role: Role;
  scopes: Scope[] | null;
  revokedAt: string | null;
}
interface ErrorBody {
  error: { code: string; message: string };
}

// The admin's API token routes called as Next.js calls them, and the tokens they make used on the worker.
describe('API token web routes', () => {
  let t: TestWorker;
  let tokens: Record<Role, string>;

  const tokensRoute = () => import('@/app/api/tokens/route');
  const create = async (token: string, json: unknown) => {
    const response = await (await tokensRoute()).POST(routeRequest('/api/tokens', { token, json }), routeParams());
    return { status: response.status, body: (await response.json()) as CreatedToken & ErrorBody };
  };
  const list = async (token: string) => {
    const response = await (await tokensRoute()).GET(routeRequest('/api/tokens', { token }), routeParams());
    return { status: response.status, body: (await response.json()) as { tokens: ListedToken[] } & ErrorBody };
  };
  const revoke = async (token: string, id: string) => {
    const { DELETE } = await import('@/app/api/tokens/[id]/route');
    return (await DELETE(routeRequest(`/api/tokens/${id}`, { token, method: 'DELETE' }), routeParams({ id }))).status;
  };

  beforeAll(async () => {
    t = await startTestWorker();
    tokens = await connectWebRoutes(t, ['operator', 'admin']);
  });
  afterAll(async () => {
    await disconnectWebRoutes();
    await t?.destroy();
  });

  it('creates a scoped token whose secret works on the worker for its scope only', async () => {
    const created = await create(tokens.admin, { name: 'log shipper', role: 'operator', scopes: ['events:write'] });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatchObject({ name: 'log shipper', role: 'operator', scopes: ['events:write'], secret: expect.stringMatching(/^vgl_/) });
    const { secret } = created.body.token;

    expect((await api(t.port, '/api/v1/events', { token: secret, json: { events: [{ type: 'request', source: '203.0.113.60' }] } })).status).toBe(202);
    const refused = await api<ErrorBody>(t.port, '/api/v1/threats', { token: secret });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toEqual({ code: 'forbidden', message: expect.stringContaining('threats:read') });

    const listed = await list(tokens.admin);
    expect(listed.body.tokens.find((row) => row.id === created.body.token.id)).toMatchObject({
      name: 'log shipper',
      scopes: ['events:write'],
      revokedAt: null,
    });
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    const audit = (await readWholeChain(t.worker.database)).find((e) => e.type === 'token.created' && e.resource === `token:${created.body.token.prefix}`);
    expect(audit).toMatchObject({
      action: 'create API token "log shipper" (operator; scopes events:write)',
      details: { role: 'operator', scopes: ['events:write'] },
    });
  });

  it('creates a token with the full access of its role when no scopes are picked', async () => {
    const created = await create(tokens.admin, { name: 'deploy script', role: 'viewer' });
    expect(created.status).toBe(201);
    expect(created.body.token.scopes).toEqual([]);
    expect((await api(t.port, '/api/v1/threats', { token: created.body.token.secret })).status).toBe(200);
  });

  it('is 422 for an unknown scope, naming it', async () => {
    const res = await create(tokens.admin, { name: 'typo', role: 'operator', scopes: ['events:write', 'event:write'] });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.message).toContain('scopes.1: unknown scope "event:write"');
  });

  it('is 422 for a scope the role cannot use', async () => {
    const res = await create(tokens.admin, { name: 'reader', role: 'viewer', scopes: ['modules:write'] });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toContain('modules:write needs at least the operator role');
  });

  it('lets only admins manage tokens, and no scoped token at all', async () => {
    expect((await create(tokens.operator, { name: 'mine', role: 'operator' })).status).toBe(403);
    const operatorList = await list(tokens.operator);
    expect(operatorList.status).toBe(403);
    expect(operatorList.body.error).toEqual({ code: 'forbidden', message: 'your role (operator) cannot do this' });
    const scopedAdmin = await create(tokens.admin, { name: 'scoped admin', role: 'admin', scopes: ['audit:read'] });
    const scopedList = await list(scopedAdmin.body.token.secret);
    expect(scopedList.status).toBe(403);
    // Its role would allow this, so the answer must name the scopes, not the role, as the reason.
    expect(scopedList.body.error).toEqual({
      code: 'forbidden',
      message: expect.stringContaining("scoped API tokens are for the worker's machine API, not the web app's operator API"),
    });
    expect((await create(scopedAdmin.body.token.secret, { name: 'escalate', role: 'admin' })).status).toBe(403);
  });

  it('revokes a scoped token once: listed as revoked, refused by a fresh lookup', async () => {
    const created = await create(tokens.admin, { name: 'short-lived', role: 'operator', scopes: ['isolations:read'] });
    expect(await revoke(tokens.admin, created.body.token.id)).toBe(200);
    expect(await revoke(tokens.admin, created.body.token.id)).toBe(404);
    expect((await list(tokens.admin)).body.tokens.find((row) => row.id === created.body.token.id)?.revokedAt).toEqual(expect.any(String));
    expect((await api(t.port, '/api/v1/isolations', { token: created.body.token.secret })).status).toBe(401);
  });
});
