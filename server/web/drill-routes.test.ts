import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@/lib/auth/roles';
import type { DrillOverview } from '@/lib/drills/drill-schema';
import { startTestWorker, waitFor, type TestWorker } from '../test-support';
import { connectWebRoutes, disconnectWebRoutes, routeParams, routeRequest } from '../test-support/web-routes';

// The dashboard's drill API, called as Next.js calls it, with API tokens of each role
// against a real worker; one real drill runs its quickest scenario (a supervised crash).
describe('drill web routes', () => {
  let t: TestWorker;
  let tokens: Record<Role, string>;

  beforeAll(async () => {
    t = await startTestWorker();
    tokens = await connectWebRoutes(t, ['viewer', 'operator', 'admin']);
  });
  afterAll(async () => {
    await disconnectWebRoutes();
    await t.destroy();
  });

  it('shows viewers the results, keeps starting a drill for admins, and rejects unknown scenarios', async () => {
    const { GET, POST } = await import('@/app/api/drills/route');
    const overview = async (): Promise<DrillOverview> => (await GET(routeRequest('/api/drills', { token: tokens.viewer }), routeParams())).json();
    expect(await overview()).toEqual({ running: false, progress: [], runs: [] });

    expect((await POST(routeRequest('/api/drills', { token: tokens.viewer, json: {} }), routeParams())).status).toBe(403);
    expect((await POST(routeRequest('/api/drills', { token: tokens.operator, json: { scenarios: ['kill'] } }), routeParams())).status).toBe(403);
    const bad = await POST(routeRequest('/api/drills', { token: tokens.admin, json: { scenarios: ['rm-rf'] } }), routeParams());
    expect(bad.status).toBe(422);
    expect((await bad.json()).error.code).toBe('invalid_request');
    // The actor comes from the session or token, never from the body.
    expect((await POST(routeRequest('/api/drills', { token: tokens.admin, json: { actor: { name: 'x', role: 'admin' } } }), routeParams())).status).toBe(422);

    const started = await POST(routeRequest('/api/drills', { token: tokens.admin, json: { scenarios: ['kill'] } }), routeParams());
    expect(started.status).toBe(200);
    expect(await started.json()).toEqual({ started: true });
    const finished = await waitFor(
      async () => {
        const now = await overview();
        return !now.running && now.runs.length === 1 ? now : null;
      },
      { timeoutMs: 30_000 },
    );
    expect(finished.runs[0]).toMatchObject({ actor: 'token:admin', passed: true, results: [{ scenario: 'kill', passed: true, skipped: false }] });
    expect(finished.runs[0].results[0].mttdMs).toEqual(expect.any(Number));
  }, 60_000);
});
