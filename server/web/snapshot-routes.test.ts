import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@/lib/auth/roles';
import type { DiffLineView, PruneResultView, RecoveryOverviewView, RestoreResultView } from '@/lib/recovery/recovery-views';
import { writeTree } from '../recovery/recovery-test-kit';
import { startTestWorker, type TestWorker } from '../test-support';
import { connectWebRoutes, disconnectWebRoutes, routeParams, routeRequest } from '../test-support/web-routes';

// The operator API of golden recovery, called as Next.js calls it, with API tokens of each
// role against a real worker and snapshot store.
describe('snapshot web routes', () => {
  let t: TestWorker;
  let site: string;
  let tokens: Record<Role, string>;
  const request = (url: string, init: { token: string; json?: unknown }) => routeRequest(url, init);
  const params = (ref?: string) => routeParams(ref ? { ref } : {});

  beforeAll(async () => {
    t = await startTestWorker();
    site = t.db.dir.join('site');
    writeTree(site, { 'index.html': '<h1>v1</h1>', 'conf/app.conf': 'port 80' });
    writeFileSync(t.env.configPath, `snapshots:\n  includeVigilState: false\n  sources:\n    - name: site\n      path: ${site}\n`);
    t.worker.config.reload();
    tokens = await connectWebRoutes(t, ['viewer', 'operator', 'admin']);
  });
  afterAll(async () => {
    await disconnectWebRoutes();
    await t.destroy();
  });

  it('lets operators create and verify, viewers only list, and names the caller in the audit trail', async () => {
    const { GET, POST } = await import('@/app/api/snapshots/route');
    const verify = (await import('@/app/api/snapshots/[ref]/verify/route')).POST;
    expect((await POST(request('/api/snapshots', { token: tokens.viewer, json: { tags: ['golden'] } }), params())).status).toBe(403);
    expect((await POST(request('/api/snapshots', { token: tokens.operator, json: { name: '../etc', tags: ['golden'] } }), params())).status).toBe(422);
    const created = await POST(request('/api/snapshots', { token: tokens.operator, json: { name: 'base', tags: ['golden'] } }), params());
    expect(created.status).toBe(200);
    expect(await created.json()).toMatchObject({ name: 'base', tags: ['golden'], files: 2, createdBy: 'token:operator' });

    expect((await verify(request('/api/snapshots/base/verify', { token: tokens.viewer, json: {} }), params('base'))).status).toBe(403);
    const verified = await verify(request('/api/snapshots/base/verify', { token: tokens.operator, json: {} }), params('base'));
    expect(await verified.json()).toMatchObject({ ok: true, files: 2, problems: [] });
    const missing = await verify(request('/api/snapshots/nope/verify', { token: tokens.operator, json: {} }), params('nope'));
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('not_found');

    const listed = await GET(request('/api/snapshots', { token: tokens.viewer }), params());
    const overview = (await listed.json()) as RecoveryOverviewView;
    expect(overview.snapshots.map((s) => s.name)).toEqual(['base']);
    expect(overview.golden).toMatchObject({ newest: { name: 'base' }, stale: false });
    const audited = await t.worker.database.prisma.auditEvent.findFirst({ where: { type: 'snapshot.verified' } });
    expect(audited).toMatchObject({ actor: 'token:operator', resource: 'snapshot:base' });
  });

  it('shows viewers a diff against the live files and against another snapshot', async () => {
    const { GET } = await import('@/app/api/snapshots/[ref]/diff/route');
    writeFileSync(path.join(site, 'index.html'), '<h1>defaced</h1>');
    const live = await GET(request('/api/snapshots/base/diff', { token: tokens.viewer }), params('base'));
    expect((await live.json()) as DiffLineView[]).toEqual([
      { path: 'site/index.html', change: 'changed', before: expect.stringMatching(/^[0-9a-f]{64}$/), after: expect.stringMatching(/^[0-9a-f]{64}$/) },
    ]);
    const bad = await GET(request('/api/snapshots/base/diff?against=a%2Fb', { token: tokens.viewer }), params('base'));
    expect(bad.status).toBe(422);
  });

  it('keeps golden restore for admins, previews with a dry run and puts the file back', async () => {
    const { POST } = await import('@/app/api/snapshots/[ref]/restore/route');
    const body = { reason: 'site defaced', mirror: false };
    expect((await POST(request('/api/snapshots/base/restore', { token: tokens.operator, json: body }), params('base'))).status).toBe(403);
    expect((await POST(request('/api/snapshots/base/restore', { token: tokens.admin, json: { ...body, reason: '' } }), params('base'))).status).toBe(422);
    const preview = await POST(request('/api/snapshots/base/restore', { token: tokens.admin, json: { ...body, dryRun: true } }), params('base'));
    expect((await preview.json()) as RestoreResultView).toMatchObject({ outcome: 'dry-run', changes: [{ path: 'site/index.html', change: 'modify' }] });
    expect(readFileSync(path.join(site, 'index.html'), 'utf8')).toBe('<h1>defaced</h1>');
    const restored = await POST(request('/api/snapshots/base/restore', { token: tokens.admin, json: body }), params('base'));
    expect((await restored.json()) as RestoreResultView).toMatchObject({ outcome: 'restored', filesWritten: 1 });
    expect(readFileSync(path.join(site, 'index.html'), 'utf8')).toBe('<h1>v1</h1>');
    const audited = await t.worker.database.prisma.auditEvent.findFirst({ where: { type: 'snapshot.restored' } });
    expect(audited).toMatchObject({ actor: 'token:admin' });
  });

  it('lets operators preview a prune but only admins prune or settle a restore', async () => {
    const { POST: prune } = await import('@/app/api/snapshots/prune/route');
    const { POST: settle } = await import('@/app/api/snapshots/settle/route');
    const preview = await prune(request('/api/snapshots/prune', { token: tokens.operator, json: { dryRun: true } }), params());
    expect((await preview.json()) as PruneResultView).toMatchObject({ dryRun: true, removedSnapshots: [] });
    const refused = await prune(request('/api/snapshots/prune', { token: tokens.operator, json: { dryRun: false } }), params());
    expect(refused.status).toBe(403);
    expect((await prune(request('/api/snapshots/prune', { token: tokens.admin, json: { dryRun: false } }), params())).status).toBe(200);
    expect((await settle(request('/api/snapshots/settle', { token: tokens.operator, json: { action: 'resume', reason: 'finish it' } }), params())).status).toBe(
      403,
    );
    const nothing = await settle(request('/api/snapshots/settle', { token: tokens.admin, json: { action: 'rollback', reason: 'undo it' } }), params());
    expect(nothing.status).toBe(404);
  });
});
