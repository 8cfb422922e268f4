import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@/lib/auth/roles';
import type { AllowlistEntry, DefenseDecision, DefenseOverview } from '@/lib/defense/defense-types';
import type { IntegrityStatus } from '@/lib/integrity/integrity-status';
import { LOCKDOWN_READ_ONLY_MESSAGE } from '@/lib/defense/lockdown-policy';
import { startDefenseWorker } from '../test-support/defense-worker';
import { guardCheck } from '../test-support/guard';
import type { TestWorker } from '../test-support';
import { connectWebRoutes, disconnectWebRoutes, routeParams, routeRequest } from '../test-support/web-routes';

type Handler = (request: ReturnType<typeof routeRequest>, params: ReturnType<typeof routeParams>) => Promise<Response>;

const ROUTES = {
  defense: () => import('@/app/api/defense/route'),
  'defense/isolations': () => import('@/app/api/defense/isolations/route'),
  'defense/isolations/restore': () => import('@/app/api/defense/isolations/restore/route'),
  'defense/lockdown': () => import('@/app/api/defense/lockdown/route'),
  'defense/lockdown/lift': () => import('@/app/api/defense/lockdown/lift/route'),
  'defense/allowlist': () => import('@/app/api/defense/allowlist/route'),
  'defense/allowlist/remove': () => import('@/app/api/defense/allowlist/remove/route'),
  integrity: () => import('@/app/api/integrity/route'),
  'integrity/rebaseline': () => import('@/app/api/integrity/rebaseline/route'),
  snapshots: () => import('@/app/api/snapshots/route'),
};

// The operator API of the guardian and of file integrity, called as Next.js calls it, with API
// tokens of each role against a real worker: roles, validation, and the lockdown freeze.
describe('defense and integrity web routes', () => {
  let t: TestWorker;
  let tokens: Record<Role, string>;
  const call = async (path: keyof typeof ROUTES, init: { token: string; json?: unknown }) => {
    const handlers: Record<string, Handler | undefined> = await ROUTES[path]();
    const response = await handlers[init.json === undefined ? 'GET' : 'POST']!(routeRequest(`/api/${path}`, init), routeParams());
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const isolate = (token: string, json: Record<string, unknown>) => call('defense/isolations', { token, json });

  beforeAll(async () => {
    t = await startDefenseWorker();
    const watched = t.db.dir.join('watched');
    mkdirSync(watched, { recursive: true });
    writeFileSync(`${watched}/app.conf`, 'port 80\n');
    writeFileSync(t.env.configPath, `trustedProxies: ["127.0.0.1"]\nintegrity:\n  paths:\n    - { path: ${JSON.stringify(watched)}, critical: false }\n`);
    t.worker.config.reload();
    tokens = await connectWebRoutes(t, ['viewer', 'operator', 'admin']);
  });
  afterAll(async () => {
    await disconnectWebRoutes();
    await t.destroy();
  });

  it('lets operators isolate and restore with a reason, refuses viewers, and names a bad source in the 422', async () => {
    expect((await isolate(tokens.viewer, { source: '203.0.113.7', reason: 'scanning us' })).status).toBe(403);
    const bad = await isolate(tokens.operator, { source: '203.0.113.300', reason: 'scanning us' });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain('203.0.113.300');
    expect((await isolate(tokens.operator, { source: '203.0.113.7', reason: 'x' })).status).toBe(422);
    expect((await isolate(tokens.operator, { source: '203.0.113.7', reason: 'both', duration: '1h', indefinite: true })).status).toBe(422);

    const before = Date.now();
    const made = await isolate(tokens.operator, { source: '203.0.113.7', reason: 'scanning us', duration: '1h' });
    expect(made.status).toBe(200);
    const decision = made.body as unknown as DefenseDecision;
    expect(decision).toMatchObject({ source: '203.0.113.7', origin: 'manual', actor: 'token:operator', reason: 'scanning us' });
    // One hour, not a thousand: the web route hands the worker seconds.
    const lasts = Date.parse(decision.expiresAt!) - before;
    expect(lasts).toBeGreaterThan(3_590_000);
    expect(lasts).toBeLessThan(3_610_000);
    expect((await guardCheck(t.port, { headers: { 'x-forwarded-for': '203.0.113.7' } })).status).toBe(403);

    const forever = await isolate(tokens.operator, { source: '198.51.100.0/24', reason: 'botnet range', indefinite: true });
    expect((forever.body as unknown as DefenseDecision).expiresAt).toBeNull();

    const overview = await call('defense', { token: tokens.viewer });
    expect((overview.body as unknown as DefenseOverview).isolations.map((d) => d.source).sort()).toEqual(['198.51.100.0/24', '203.0.113.7']);

    expect((await call('defense/isolations/restore', { token: tokens.viewer, json: { source: '203.0.113.7' } })).status).toBe(403);
    const restored = await call('defense/isolations/restore', { token: tokens.operator, json: { source: '203.0.113.7', reason: 'false alarm' } });
    expect(restored.status).toBe(200);
    expect((await guardCheck(t.port, { headers: { 'x-forwarded-for': '203.0.113.7' } })).status).toBe(204);
    const audited = await t.worker.database.prisma.auditEvent.findMany({ where: { actor: 'token:operator', module: 'defense' } });
    expect(audited.length).toBeGreaterThanOrEqual(3);
  });

  it('keeps lockdown, lift and the allowlist for admins', async () => {
    expect((await call('defense/lockdown', { token: tokens.operator, json: { reason: 'under attack' } })).status).toBe(403);
    expect((await call('defense/lockdown', { token: tokens.admin, json: { reason: 'no' } })).status).toBe(422);
    expect((await call('defense/lockdown', { token: tokens.admin, json: { reason: 'too late', expiresAt: '2001-01-01T00:00:00Z' } })).status).toBe(422);
    expect((await call('defense/lockdown/lift', { token: tokens.admin, json: { reason: 'nothing to lift' } })).status).toBe(409);

    expect((await call('defense/allowlist', { token: tokens.operator, json: { source: '192.0.2.0/24', reason: 'office' } })).status).toBe(403);
    const added = await call('defense/allowlist', { token: tokens.admin, json: { source: '192.0.2.0/24', reason: 'office' } });
    expect((added.body.allowlist as AllowlistEntry[]).find((e) => e.source === '192.0.2.0/24')).toMatchObject({ origin: 'ui', createdBy: 'token:admin' });
    const removed = await call('defense/allowlist/remove', { token: tokens.admin, json: { source: '192.0.2.0/24', reason: 'moved out' } });
    expect((removed.body.allowlist as AllowlistEntry[]).some((e) => e.source === '192.0.2.0/24')).toBe(false);
  });

  it('makes non-admins read-only under LOCKDOWN on every change route, while reads and admins go on', async () => {
    const locked = await call('defense/lockdown', { token: tokens.admin, json: { reason: 'under attack' } });
    expect(locked.body).toMatchObject({ mode: 'LOCKDOWN', lockdown: { actor: 'token:admin', reason: 'under attack' } });

    const refused = await isolate(tokens.operator, { source: '203.0.113.8', reason: 'scanning us' });
    expect(refused).toEqual({ status: 423, body: { error: { code: 'locked_down', message: LOCKDOWN_READ_ONLY_MESSAGE } } });
    // Not only the defense: any change by an operator waits, here a snapshot.
    expect((await call('snapshots', { token: tokens.operator, json: { tags: ['manual'] } })).status).toBe(423);
    expect((await call('defense', { token: tokens.operator })).status).toBe(200);
    expect((await call('integrity', { token: tokens.viewer })).status).toBe(200);

    const byAdmin = await isolate(tokens.admin, { source: '203.0.113.8', reason: 'scanning us', duration: '4h' });
    expect(byAdmin.status).toBe(200);
    expect((await call('defense/isolations/restore', { token: tokens.admin, json: { source: '203.0.113.8', reason: 'done' } })).status).toBe(200);

    const lifted = await call('defense/lockdown/lift', { token: tokens.admin, json: { reason: 'attack over' } });
    expect(lifted.body).toMatchObject({ mode: 'NORMAL', lockdown: null });
    expect((await isolate(tokens.operator, { source: '203.0.113.8', reason: 'scanning again', duration: '30m' })).status).toBe(200);
    const events = await t.worker.database.prisma.auditEvent.findMany({
      where: { type: { in: ['defense.lockdown', 'defense.lockdown_lifted'] } },
      orderBy: { seq: 'asc' },
    });
    expect(events.map((e) => [e.type, e.actor])).toEqual([
      ['defense.lockdown', 'token:admin'],
      ['defense.lockdown_lifted', 'token:admin'],
    ]);
  });

  it('shows viewers the integrity status and lets only admins re-baseline', async () => {
    const status = await call('integrity', { token: tokens.viewer });
    expect(status.status).toBe(200);
    expect((status.body as unknown as IntegrityStatus).filesWatched).toBeGreaterThanOrEqual(1);
    expect((await call('integrity/rebaseline', { token: tokens.operator, json: { reason: 'accepted change' } })).status).toBe(403);
    expect((await call('integrity/rebaseline', { token: tokens.admin, json: { reason: '' } })).status).toBe(422);
    const rebaselined = await call('integrity/rebaseline', { token: tokens.admin, json: { reason: 'accepted change' } });
    expect(rebaselined.status).toBe(200);
    expect((rebaselined.body as unknown as IntegrityStatus).baselineCreatedAt).not.toBeNull();
    expect(await t.worker.database.prisma.auditEvent.findFirst({ where: { type: 'integrity.rebaselined' } })).toMatchObject({
      actor: 'token:admin',
      reason: 'accepted change',
    });
  });
});
