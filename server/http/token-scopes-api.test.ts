// Scoped API tokens against a real worker: every machine-API endpoint asks for its scope, a
// scope never widens a role, unscoped tokens keep their role's access, revocation still bites.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPE_DEFINITIONS, SCOPES, type Scope } from '@/lib/auth/scopes';
import { revokeApiToken } from '../queries/api-tokens';
import { api, createRoleToken, createScopedToken, startTestWorker, TEST_API_TOKEN, waitFor, type TestWorker } from '../test-support';

interface ErrorBody {
  error: { code: string; message: string };
}

// One call per endpoint; bodies and names are such that a granted call fails, if at all, on input (404/422), never on auth.
const ENDPOINTS: Array<[Scope, string, string, unknown?]> = [
  ['health:read', 'GET', '/api/v1/health'],
  ['health:read', 'GET', '/api/v1/features'],
  ['events:write', 'POST', '/api/v1/events', { events: [{ type: 'custom', name: 'scope.check' }] }],
  ['alerts:write', 'POST', '/api/v1/alertmanager', { status: 'firing' }],
  ['modules:read', 'GET', '/api/v1/modules'],
  ['modules:read', 'GET', '/api/v1/modules/nowhere'],
  ['modules:read', 'GET', '/api/v1/incidents'],
  ['modules:write', 'POST', '/api/v1/modules', {}],
  ['modules:write', 'DELETE', '/api/v1/modules/nowhere'],
  ['threats:read', 'GET', '/api/v1/threats'],
  ['isolations:read', 'GET', '/api/v1/isolations'],
  ['isolations:read', 'GET', '/api/v1/decisions/stream'],
  ['isolations:write', 'POST', '/api/v1/isolations', {}],
  ['isolations:write', 'DELETE', '/api/v1/isolations/198.51.100.250'],
  ['audit:read', 'GET', '/api/v1/audit'],
  ['forecast:read', 'GET', '/api/v1/risk'],
  ['forecast:read', 'GET', '/api/v1/predictions'],
  ['fleet:read', 'GET', '/api/v1/hosts'],
  ['fleet:read', 'GET', '/api/v1/fleet/commands'],
  ['fleet:read', 'GET', '/api/v1/fleet/commands/5b1c8f0e-6a1e-4f7e-9d1b-2f0a3c4d5e6f'],
  ['fleet:write', 'POST', '/api/v1/fleet/enrollments', {}],
  ['fleet:write', 'POST', '/api/v1/hosts/99/revoke'],
  ['commands:write', 'POST', '/api/v1/fleet/commands', {}],
];

describe('scoped API tokens on the machine API', () => {
  let t: TestWorker;
  const call = (token: string, method: string, path: string, json?: unknown) => api<ErrorBody>(t.port, path, { token, method, json });

  beforeAll(async () => {
    t = await startTestWorker();
  });
  afterAll(async () => {
    await t?.destroy();
  });

  it('has an endpoint for every scope', () => {
    expect([...new Set(ENDPOINTS.map(([scope]) => scope))].sort()).toEqual([...SCOPES].sort());
  });

  it.each(ENDPOINTS)('lets %s through to %s %s and refuses it to a token with every other scope', async (scope, method, path, json) => {
    // The least role the scope needs: an operator for most, an admin for the fleet's enrollment and revocation.
    const granted = await createScopedToken(t, { role: SCOPE_DEFINITIONS[scope].role === 'admin' ? 'admin' : 'operator', scopes: [scope] });
    expect([401, 403]).not.toContain((await call(granted.token, method, path, json)).status);

    const others = await createScopedToken(t, { role: 'admin', scopes: SCOPES.filter((s) => s !== scope) });
    const refused = await call(others.token, method, path, json);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toEqual({ code: 'forbidden', message: expect.stringContaining(`lacks the scope ${scope}`) });
  });

  it('lets an event shipper ingest and nothing else, and what it was refused left no trace', async () => {
    const shipper = await createScopedToken(t, { role: 'operator', scopes: ['events:write'], name: 'shipper' });
    expect((await call(shipper.token, 'POST', '/api/v1/events', { events: [{ type: 'auth_failure', source: '203.0.113.40', user: 'root' }] })).status).toBe(
      202,
    );

    const isolate = await call(shipper.token, 'POST', '/api/v1/isolations', { source: '203.0.113.41', reason: 'not allowed to' });
    expect(isolate.status).toBe(403);
    expect(isolate.body.error.message).toBe('this token lacks the scope isolations:write; it is limited to events:write');
    const isolations = await api<{ isolations: Array<{ source: string }> }>(t.port, '/api/v1/isolations', { token: TEST_API_TOKEN });
    expect(isolations.body.isolations.map((i) => i.source)).not.toContain('203.0.113.41');
  });

  it('takes a bouncer key as X-Api-Key and holds it to its scope', async () => {
    const bouncer = await createScopedToken(t, { role: 'viewer', scopes: ['isolations:read'], name: 'bouncer' });
    const stream = await api<{ new: unknown[] }>(t.port, '/api/v1/decisions/stream?startup=true', { headers: { 'x-api-key': bouncer.token } });
    expect(stream.status).toBe(200);
    expect(stream.body.new).toEqual(expect.any(Array));
    const threats = await api<ErrorBody>(t.port, '/api/v1/threats', { headers: { authorization: `Bearer ${bouncer.token}` } });
    expect(threats.status).toBe(403);
    expect(threats.body.error.message).toContain('threats:read');
  });

  it('still checks the role first: a scope never widens it', async () => {
    // Past the web app's validation only by writing the row directly.
    const widened = await createScopedToken(t, { role: 'viewer', scopes: ['isolations:write'] });
    const res = await call(widened.token, 'POST', '/api/v1/isolations', { source: '203.0.113.42', reason: 'a viewer cannot' });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe("this token's role (viewer) cannot do this; operator is required");
  });

  it('keeps an unscoped token the whole of its role', async () => {
    const operator = await createRoleToken(t, 'operator', 'unscoped operator');
    const viewer = await createRoleToken(t, 'viewer', 'unscoped viewer');
    expect((await call(operator, 'POST', '/api/v1/isolations', { source: '203.0.113.43', reason: 'operator at work' })).status).toBe(201);
    expect((await call(operator, 'DELETE', '/api/v1/isolations/203.0.113.43', { reason: 'done here' })).status).toBe(200);
    for (const [, method, path] of ENDPOINTS.filter(([, method]) => method === 'GET')) expect((await call(viewer, method, path)).status, path).not.toBe(403);
    const write = await call(viewer, 'POST', '/api/v1/events', { events: [{ type: 'request' }] });
    expect(write.status).toBe(403);
    expect(write.body.error.message).toContain('role (viewer)');
  });

  it('refuses a scoped token once revoked', async () => {
    const unused = await createScopedToken(t, { role: 'viewer', scopes: ['audit:read'] });
    expect(await revokeApiToken(t.worker.database.prisma, unused.id)).toBe(true);
    expect((await call(unused.token, 'GET', '/api/v1/audit')).status).toBe(401);

    const used = await createScopedToken(t, { role: 'viewer', scopes: ['audit:read'] });
    expect((await call(used.token, 'GET', '/api/v1/audit')).status).toBe(200);
    expect(await revokeApiToken(t.worker.database.prisma, used.id)).toBe(true);
    // The worker caches a lookup for five seconds.
    await waitFor(async () => (await call(used.token, 'GET', '/api/v1/audit')).status === 401, {
      timeoutMs: 8000,
      intervalMs: 250,
      what: 'the revocation to apply',
    });
  });
});
