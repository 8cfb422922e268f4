import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import type { PublicStatusPage } from '@/lib/status-pages/status-view';
import { internalToken } from '../auth/keys';
import { api, makeTempDir, startTestWorker, TEST_SECRET, type TempDir, type TestWorker } from '../test-support';

let t: TestWorker;
let dir: TempDir;
const token = () => internalToken(TEST_SECRET);
const call = <T>(path: string, json?: unknown) => api<T>(t.port, `/internal/v1${path}`, { token: token(), json });
const page = { slug: 'console-page', title: 'Console page', modules: ['api'], domain: 'status.console.example' };

beforeAll(async () => {
  dir = makeTempDir();
  const configPath = dir.join('vigil.config.yaml');
  writeFileSync(configPath, 'statusPages:\n  - { slug: from-file, title: From the file, modules: [api], domain: status.file.example }\n');
  t = await startTestWorker({ vars: { VIGIL_CONFIG: configPath } });
});

afterAll(async () => {
  await t?.destroy();
  dir?.remove();
});

async function auditTypes(): Promise<string[]> {
  await t.worker.audit.flush();
  return (await t.worker.database.prisma.auditEvent.findMany({ where: { type: { startsWith: 'status_page.' } }, select: { type: true } })).map((e) => e.type);
}

describe('console status pages', () => {
  it('saves, lists and updates a page, refusing the config file’s slugs and another page’s domain', async () => {
    expect((await call('/status-pages', { actor: 'user:ada', page })).status).toBe(200);
    expect((await call('/status-pages', { actor: 'user:ada', page: { ...page, title: 'Renamed' } })).status).toBe(200);
    const list = await call<{ pages: { page: { slug: string; title: string }; source: string }[] }>('/status-pages');
    expect(list.body.pages.map((p) => [p.page.slug, p.source, p.page.title])).toEqual([
      ['from-file', 'config', 'From the file'],
      ['console-page', 'console', 'Renamed'],
    ]);
    expect((await call('/status-pages', { actor: 'user:ada', page: { ...page, slug: 'from-file' } })).status).toBe(409);
    expect((await call('/status-pages', { actor: 'user:ada', page: { ...page, slug: 'other', domain: 'status.file.example' } })).status).toBe(409);
    expect((await call('/status-pages', { actor: 'user:ada', page: { ...page, logo: 'javascript:alert(1)' } })).status).toBe(422);
    const domains = await call<{ domains: Record<string, string> }>('/status-domains');
    expect(domains.body.domains).toEqual({ 'status.file.example': 'from-file', 'status.console.example': 'console-page' });
  });

  it('serves the saved page to the public under its new title', async () => {
    const fresh = await call<PublicStatusPage>('/status-pages/console-page/public');
    expect(fresh.body.title).toBe('Renamed');
  });

  it('publishes an incident, its updates and an announced maintenance; the page shows each at once', async () => {
    const incident = await call<{ id: string }>('/status-pages/console-page/posts', {
      actor: 'user:ada',
      post: { kind: 'incident', title: 'Slow API', impact: 'major', message: 'Looking into it.' },
    });
    expect(incident.status).toBe(201);
    const startsAt = new Date(Date.now() + 86_400_000).toISOString();
    const endsAt = new Date(Date.now() + 90_000_000).toISOString();
    const maintenance = await call<{ id: string }>('/status-pages/console-page/posts', {
      actor: 'user:ada',
      post: { kind: 'maintenance', title: 'Upgrade', message: 'Read-only for an hour.', startsAt, endsAt },
    });
    expect(maintenance.status).toBe(201);
    let view = (await call<PublicStatusPage>('/status-pages/console-page/public')).body;
    expect(view.active.map((p) => p.title)).toEqual(['Slow API']);
    expect(view.upcoming.map((p) => [p.title, p.impact])).toEqual([['Upgrade', 'maintenance']]);

    expect(
      (await call(`/status-pages/console-page/posts/${incident.body.id}/updates`, { actor: 'user:bo', update: { status: 'resolved', message: 'Fixed.' } }))
        .status,
    ).toBe(200);
    view = (await call<PublicStatusPage>('/status-pages/console-page/public')).body;
    expect(view.active).toEqual([]);
    expect(view.past[0].updates.map((u) => u.status)).toEqual(['resolved', 'investigating']);
    expect(view.past[0].resolvedAt).not.toBeNull();

    const posts = await call<{ upcoming: { id: string }[] }>('/status-pages/console-page/posts');
    expect(posts.body.upcoming.map((p) => p.id)).toEqual([maintenance.body.id]);
    expect((await call(`/status-pages/console-page/posts/${maintenance.body.id}/remove`, { actor: 'user:ada' })).status).toBe(200);
    expect((await call<PublicStatusPage>('/status-pages/console-page/public')).body.upcoming).toEqual([]);
  });

  it('answers 404 for posts of another page or no page, and 422 for a bad post', async () => {
    const created = await call<{ id: string }>('/status-pages/console-page/posts', { actor: 'a', post: { kind: 'incident', title: 'x', message: 'y' } });
    expect((await call(`/status-pages/from-file/posts/${created.body.id}/updates`, { actor: 'a', update: { status: 'resolved', message: 'z' } })).status).toBe(
      404,
    );
    expect((await call('/status-pages/console-page/posts/bad%20id/remove', { actor: 'a' })).status).toBe(404);
    expect((await call('/status-pages/nope/posts', { actor: 'a', post: { kind: 'incident', title: 'x', message: 'y' } })).status).toBe(404);
    expect((await call('/status-pages/console-page/posts', { actor: 'a', post: { kind: 'maintenance', title: 'x', message: 'y' } })).status).toBe(422);
  });

  it('removes a console page but not the file’s, and audits every change', async () => {
    expect((await call('/status-pages/from-file/remove', { actor: 'user:ada' })).status).toBe(409);
    expect((await call('/status-pages/console-page/remove', { actor: 'user:ada' })).status).toBe(200);
    expect((await call('/status-pages/console-page/remove', { actor: 'user:ada' })).status).toBe(404);
    expect((await call('/status-pages/console-page/public')).status).toBe(404);
    expect(await t.worker.database.prisma.statusPost.count({ where: { page: 'console-page' } })).toBe(0);
    const types = await auditTypes();
    expect(types).toEqual(
      expect.arrayContaining([
        'status_page.created',
        'status_page.updated',
        'status_page.incident_posted',
        'status_page.maintenance_scheduled',
        'status_page.post_updated',
        'status_page.post_removed',
        'status_page.removed',
      ]),
    );
  });
});
