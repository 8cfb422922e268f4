import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@/lib/auth/roles';
import type { ForecastOverview } from '@/lib/forecast/forecast-views';
import type { Suggestion } from '@/lib/forecast/governor-rules';
import type { Prediction } from '@/lib/forecast/risk';
import { startTestWorker, waitFor, type TestWorker } from '../test-support';
import { connectWebRoutes, disconnectWebRoutes, routeParams, routeRequest } from '../test-support/web-routes';

// The operator API of fault forecasting, called as Next.js calls it, with API tokens of each
// role against a real worker and its forecaster.
describe('forecast web routes', () => {
  let t: TestWorker;
  let tokens: Record<Role, string>;

  beforeAll(async () => {
    t = await startTestWorker();
    tokens = await connectWebRoutes(t, ['viewer', 'operator', 'admin']);
    await waitFor(() => t.worker.forecaster.risk().at !== null);
  });
  afterAll(async () => {
    await disconnectWebRoutes();
    await t.destroy();
  });

  it('shows viewers the risk overview and the predictions', async () => {
    const risk = (await import('@/app/api/risk/route')).GET;
    const predictions = (await import('@/app/api/predictions/route')).GET;
    expect((await risk(routeRequest('/api/risk', { token: 'vgl_wrong' }), routeParams())).status).toBe(401);
    const overview = (await (await risk(routeRequest('/api/risk', { token: tokens.viewer }), routeParams())).json()) as ForecastOverview;
    expect(overview.subsystems.map((s) => s.id)).toEqual(expect.arrayContaining(['host', 'defense', 'data', 'backups']));
    expect(overview.history.rows.backups).toHaveLength(overview.history.columns.length);
    // A fresh data directory has no verified golden snapshot: the plan offers to take one.
    expect(overview.subsystems.find((s) => s.id === 'backups')!.mitigations.map((m) => m.action?.id)).toContain('create-golden-snapshot');
    const listed = await predictions(routeRequest('/api/predictions', { token: tokens.viewer }), routeParams());
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { predictions: Prediction[] }).predictions).toEqual(overview.predictions);
  });

  it('lets operators, not viewers, apply a mitigation, rejects bad ones and audits who applied it', async () => {
    const { POST } = await import('@/app/api/risk/mitigations/route');
    const body = { subsystem: 'backups', action: 'create-golden-snapshot', reason: 'no golden snapshot yet' };
    const apply = (token: string, json: unknown) => POST(routeRequest('/api/risk/mitigations', { token, json }), routeParams());
    expect((await apply(tokens.viewer, body)).status).toBe(403);
    expect((await apply(tokens.operator, { ...body, action: 'format-disk' })).status).toBe(422);
    const short = await apply(tokens.operator, { ...body, reason: 'x' });
    expect(short.status).toBe(422);
    expect((await short.json()).error.code).toBeDefined();
    expect((await apply(tokens.operator, { ...body, subsystem: 'host', action: 'prune-snapshots' })).status).toBe(409);
    expect((await apply(tokens.operator, { ...body, subsystem: 'nowhere' })).status).toBe(404);
    const applied = await apply(tokens.operator, body);
    expect(applied.status).toBe(200);
    expect(await applied.json()).toEqual({ applied: 'create-golden-snapshot', subsystem: 'backups' });
    const audited = await t.worker.database.prisma.auditEvent.findFirst({ where: { type: 'forecast.mitigation_applied' } });
    expect(audited).toMatchObject({ actor: 'token:operator', reason: 'no golden snapshot yet' });
  });

  it('lists governor suggestions to viewers, lets operators decide once, audits it and exports them', async () => {
    const now = Date.now();
    const threats = [1, 2, 3].map((i) => ({ id: `t${i}`, at: new Date(now - i * 60_000).toISOString(), scenario: 'rate-abuse', key: '203.0.113.9' }));
    await t.worker.forecaster.governor.learn({ now, incidents: [], threats, modules: [] });
    const { GET } = await import('@/app/api/governor/route');
    const { POST } = await import('@/app/api/governor/[id]/route');
    const exported = (await import('@/app/api/governor/export/route')).GET;
    const id = 'repeat-abuser:203.0.113.9';
    const listed = (await (await GET(routeRequest('/api/governor', { token: tokens.viewer }), routeParams())).json()) as { suggestions: Suggestion[] };
    expect(listed.suggestions.find((s) => s.id === id)).toMatchObject({ status: 'proposed', evidence: { count: 3 } });

    const decide = (token: string, json: unknown, target = id) =>
      POST(routeRequest(`/api/governor/${encodeURIComponent(target)}`, { token, json }), routeParams({ id: target }));
    expect((await decide(tokens.viewer, { decision: 'applied' })).status).toBe(403);
    expect((await decide(tokens.operator, { decision: 'maybe' })).status).toBe(422);
    expect((await decide(tokens.operator, { decision: 'applied' }, 'nope')).status).toBe(404);
    const applied = await decide(tokens.operator, { decision: 'applied' });
    expect(applied.status).toBe(200);
    expect(await applied.json()).toMatchObject({ id, status: 'applied', decidedBy: 'token:operator' });
    expect((await decide(tokens.admin, { decision: 'dismissed' })).status).toBe(409);
    const audited = await t.worker.database.prisma.auditEvent.findFirst({ where: { type: 'forecast.suggestion_applied' } });
    expect(audited).toMatchObject({ actor: 'token:operator' });

    const file = await exported(routeRequest('/api/governor/export', { token: tokens.viewer }), routeParams());
    expect(file.headers.get('content-disposition')).toContain('vigil-governor.json');
    const body = (await file.json()) as { exportedAt: string; suggestions: Suggestion[] };
    expect(body.suggestions.find((s) => s.id === id)?.status).toBe('applied');
  });
});
