import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { randomUUID } from 'node:crypto';
import { NextRequest } from 'next/server';
import { generateApiToken } from '../auth/api-tokens';
import { startTestWorker, TEST_SECRET, type TestWorker } from '../test-support';

// The web routes of audit verification, called as Next.js calls them, with API tokens
// (no cookie, so no session or CSRF step) against a real worker and database.
describe('audit verification web routes', () => {
  let t: TestWorker;
  const tokens: Record<'viewer' | 'operator', string> = { viewer: '', operator: '' };
  const context = { params: Promise.resolve({}) };
  const request = (path: string, init: { method?: string; token?: string; json?: unknown } = {}) =>
    new NextRequest(`http://localhost${path}`, {
      method: init.method ?? 'GET',
      headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...(init.json ? { 'content-type': 'application/json' } : {}) },
      body: init.json ? JSON.stringify(init.json) : undefined,
    });

  beforeAll(async () => {
    t = await startTestWorker();
    vi.stubEnv('VIGIL_DATA_DIR', t.env.dataDir);
    vi.stubEnv('DATABASE_URL', t.db.url);
    vi.stubEnv('VIGIL_SECRET', TEST_SECRET);
    vi.stubEnv('VIGIL_WORKER_URL', `http://127.0.0.1:${t.port}`);
    vi.stubEnv('LOG_LEVEL', 'silent');
    for (const role of ['viewer', 'operator'] as const) {
      const generated = generateApiToken();
      tokens[role] = generated.token;
      await t.worker.database.prisma.apiToken.create({ data: { id: randomUUID(), name: role, prefix: generated.prefix, tokenHash: generated.tokenHash, role } });
    }
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    const holder = globalThis as unknown as { vigilWebContext?: Promise<{ database: { close(): Promise<void> } }> };
    await (await holder.vigilWebContext)?.database.close();
    holder.vigilWebContext = undefined;
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
    const lines = (await exported.text()).trim().split('\n').map((l) => JSON.parse(l) as { kind: string });
    expect(lines[0]).toMatchObject({ kind: 'vigil.audit.public-key', keyId: t.worker.integrity.key.keyId });
    expect(lines.slice(1).every((l) => l.kind === 'vigil.audit.checkpoint')).toBe(true);
    expect(lines.length).toBeGreaterThan(1);
  });
});
