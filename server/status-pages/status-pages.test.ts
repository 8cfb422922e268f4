// First: it readies Next.js's request storage before anything else loads Next.
import { callInRequestScope } from '../test-support/next-scope';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NextRequest } from 'next/server';
import type { PublicStatusPage } from '@/lib/status-pages/status-view';
import { GET as statusPageRoute } from '@/app/status/[slug]/route';
import { statusSlugForHost } from '@/app/_lib/status-domains';
import { proxy } from '@/proxy';
import { internalToken } from '../auth/keys';
import { api, makeTempDir, startTestWorker, TEST_SECRET, waitFor, type TempDir, type TestWorker } from '../test-support';
import { startStubHttpServer, type StubHttpServer } from '../test-support/stub-http-server';
import { connectWebRoutes, disconnectWebRoutes } from '../test-support/web-routes';

// Everything the page must never show: the module's address, its internal name, the other
// module, its failure message and the healing incident's own words.
const SECRET_PATH = '/healthz-7f3a9c';
const INTERNAL_NAME = 'pg-primary-eu1';
const HIDDEN_MODULE = 'billing-internal';

let t: TestWorker;
let stub: StubHttpServer;
let dir: TempDir;
let failing = false;
const internal = () => internalToken(TEST_SECRET);

beforeAll(async () => {
  stub = await startStubHttpServer((request, res) => {
    res.writeHead(failing && request.path.startsWith(SECRET_PATH) ? 500 : 200, { 'content-type': 'text/plain' });
    res.end(failing ? 'error at 10.20.30.40 db=pg-primary-eu1' : 'ok');
  });
  dir = makeTempDir();
  const configPath = dir.join('vigil.config.yaml');
  writeFileSync(
    configPath,
    [
      'modules:',
      `  - { name: ${INTERNAL_NAME}, kind: http, url: "${stub.url}${SECRET_PATH}", intervalSeconds: 1 }`,
      `  - { name: ${HIDDEN_MODULE}, kind: http, url: "${stub.url}/billing", intervalSeconds: 1 }`,
      'statusPages:',
      '  - slug: public',
      '    title: Acme services',
      `    modules: [{ module: ${INTERNAL_NAME}, label: "Database <b>EU</b>" }]`,
      '    domain: status.example.com',
      '',
    ].join('\n'),
  );
  t = await startTestWorker({ vars: { VIGIL_CONFIG: configPath } });
  await connectWebRoutes(t, []);
  await waitFor(() => t.worker.healing.engine.list().find((m) => m.name === INTERNAL_NAME)?.state === 'up', { what: 'the module up' });
});

afterAll(async () => {
  await disconnectWebRoutes();
  await t?.destroy();
  await stub?.close();
  dir?.remove();
});

const publicView = async (slug: string) => api<PublicStatusPage>(t.port, `/internal/v1/status-pages/${slug}/public`, { token: internal() });

async function fetchPage(slug: string, headers: Record<string, string> = {}): Promise<Response> {
  const request = new NextRequest(`http://localhost/status/${slug}`, { headers });
  return callInRequestScope(statusPageRoute as never, request, { slug });
}

describe('a status page from the config file', () => {
  it('publishes the module under its label only, with its state and uptime from stored history', async () => {
    const prisma = t.worker.database.prisma;
    const today = new Date().toISOString().slice(0, 10);
    const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
    await prisma.moduleDailyStat.createMany({
      data: [
        { module: INTERNAL_NAME, day: tenDaysAgo, probes: 100, failures: 50, upMs: 3_600_000, downMs: 3_600_000, latencySumMs: 2000 },
        { module: INTERNAL_NAME, day: today, probes: 0, failures: 0, upMs: 0, downMs: 0, latencySumMs: 0 },
      ],
    });
    const res = await publicView('public');
    expect(res.status).toBe(200);
    expect(res.body.modules).toHaveLength(1);
    const [module] = res.body.modules;
    expect(module.label).toBe('Database <b>EU</b>');
    expect(module.state).toBe('operational');
    expect(module.uptime.d7).toBeNull();
    expect(module.uptime.d30).toBe(0.5);
    expect(module.responseTimes.find((p) => p.day === tenDaysAgo)?.ms).toBe(20);
    expect(res.body.overall).toBe('operational');
  });

  it('answers unknown and malformed slugs alike with 404', async () => {
    expect((await publicView('nope')).status).toBe(404);
    expect((await publicView('..%2Fetc')).status).toBe(404);
    expect((await fetchPage('nope')).status).toBe(404);
    expect((await fetchPage('NOT valid')).status).toBe(404);
  });

  it('names the custom domain', async () => {
    const res = await api<{ domains: Record<string, string> }>(t.port, '/internal/v1/status-domains', { token: internal() });
    expect(res.body.domains).toEqual({ 'status.example.com': 'public' });
  });

  it('rewrites the root of a custom domain to its page, and leaves other hosts and paths alone', async () => {
    // The first lookup starts the map's load without waiting for it.
    await waitFor(() => statusSlugForHost('status.example.com'), { what: 'the domain map' });
    expect(statusSlugForHost('STATUS.example.com')).toBe('public');
    expect(statusSlugForHost('localhost')).toBeUndefined();
    const rewritten = proxy(new NextRequest('http://status.example.com/', { headers: { host: 'status.example.com' } }));
    expect(rewritten.headers.get('x-middleware-rewrite')).toBe('http://status.example.com/status/public');
    const consoleRoot = proxy(new NextRequest('http://localhost/', { headers: { host: 'localhost' } }));
    expect(consoleRoot.headers.get('x-middleware-rewrite')).toBeNull();
    const other = proxy(new NextRequest('http://status.example.com/login', { headers: { host: 'status.example.com' } }));
    expect(other.headers.get('x-middleware-rewrite')).toBeNull();
  });

  it('serves HTML with caching headers, a validator and no cookie', async () => {
    const res = await fetchPage('public');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toMatch(/^public, max-age=\d+, stale-while-revalidate=\d+$/);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const html = await res.text();
    expect(html).toContain('<h1>Acme services</h1>');
    expect(html).toContain('Database &lt;b&gt;EU&lt;/b&gt;');
    expect(html).not.toContain('<script');
    const again = await fetchPage('public', { 'if-none-match': `W/${etag}` });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
  });
});

describe('what a status page never publishes', () => {
  it('leaks no address, internal name, failure message or healing incident, even while the module fails', async () => {
    failing = true;
    await waitFor(() => t.worker.healing.engine.list().find((m) => m.name === INTERNAL_NAME)?.state === 'down', { timeoutMs: 20_000, what: 'the module down' });
    // Past the worker's short cache, so the page is built from the failing state.
    await waitFor(async () => (await publicView('public')).body.overall === 'outage', {
      timeoutMs: 20_000,
      intervalMs: 500,
      what: 'the page showing the outage',
    });
    const view = JSON.stringify((await publicView('public')).body);
    const html = await (await fetchPage('public')).text();
    for (const published of [view, html]) {
      for (const secret of [SECRET_PATH, INTERNAL_NAME, HIDDEN_MODULE, '127.0.0.1', String(stub.port), '10.20.30.40', 'http://', 'http']) {
        expect(published, `the page shows ${secret}`).not.toContain(secret);
      }
    }
    expect(html).toContain('Outage');
  });
});
