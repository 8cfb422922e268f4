import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorker, type TestWorker } from '../test-support';
import { connectWebRoutes, disconnectWebRoutes, routeParams, routeRequest as request } from '../test-support/web-routes';

// The web routes of audit verification, called as Next.js calls them, with API tokens
// (no cookie, so no session or CSRF step) against a real worker and database.
describe('audit verification web routes', () => {
  let t: TestWorker;
  let tokens: Record<'viewer' | 'operator', string>;
  const context = routeParams();

  beforeAll(async () => {
    t = await startTestWorker();
    tokens = await connectWebRoutes(t, ['viewer', 'operator']);
  });
  afterAll(async () => {
    await disconnectWebRoutes();
    await t.destroy();
  });

  it('lets operators run a verification through the worker, audited; viewers may not', async () => {
    const { POST } = await import('@/app/api/audit/verify/route');
    expect((await POST(request('/api/audit/verify', { method: 'POST', token: 'vgl_wrong', json: {} }), context)).status).toBe(401);
    expect((await POST(request('/api/audit/verify', { method: 'POST', token: tokens.viewer, json: {} }), context)).status).toBe(403);
    expect((await POST(request('/api/audit/verify', { method: 'POST', token: tokens.operator, json: { mode: 'sideways' } }), context)).status).toBe(422);
    const ran = await POST(request('/api/audit/verify', { method: 'POST', token: tokens.operator, json: { mode: 'full' } }), context);
    expect(ran.status).toBe(200);
    expect(await ran.json()).toMatchObject({ ok: true, mode: 'full' });
    const audited = await t.worker.database.prisma.auditEvent.findFirst({ where: { type: 'audit.verify_requested' } });
    expect(audited).toMatchObject({ actor: 'token:operator' });
  });

  it('shows viewers the latest result', async () => {
    const { GET } = await import('@/app/api/audit/verification/route');
    expect((await GET(request('/api/audit/verification', { token: 'vgl_wrong' }), context)).status).toBe(401);
    const shown = await GET(request('/api/audit/verification', { token: tokens.viewer }), context);
    expect(shown.status).toBe(200);
    expect(await shown.json()).toMatchObject({ ok: true, verifiedThrough: { seq: expect.any(Number) } });
  });

  it('exports checkpoints with the public key to viewers', async () => {
    await t.worker.audit.append({ type: 'test.export', severity: 'info', actor: 'tester', action: 'x' });
    await t.worker.integrity.checkpointer.checkpoint();
    const { GET } = await import('@/app/api/audit/checkpoints/route');
    expect((await GET(request('/api/audit/checkpoints', { token: 'vgl_wrong' }), context)).status).toBe(401);
    const exported = await GET(request('/api/audit/checkpoints', { token: tokens.viewer }), context);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toMatch(/attachment; filename="vigil-audit-checkpoints-[0-9a-f]{16}\.ndjson"/);
    const lines = (await exported.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string });
    expect(lines[0]).toMatchObject({ kind: 'vigil.audit.public-key', keyId: t.worker.integrity.key.keyId });
    expect(lines.slice(1).every((l) => l.kind === 'vigil.audit.checkpoint')).toBe(true);
    expect(lines.length).toBeGreaterThan(1);
  });
});
