import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlocklistsResponse } from '@/lib/defense/blocklist-api';
import type { SectionView } from '@/lib/settings/editable-sections';
import { makeTempDir, waitFor, type TempDir, type TestWorker } from '../test-support';
import { internalCall, startDefenseWorker } from '../test-support/defense-worker';
import { guardCheck } from '../test-support/guard';
import { sendJsonResponse, startStubHttpServer, type StubHttpServer } from '../test-support/stub-http-server';

interface ErrorBody {
  error: { code: string; message: string };
}

const viaProxy = (port: number, client: string) => guardCheck(port, { headers: { 'x-forwarded-for': `${client}, 127.0.0.1` } });

describe('the defense section and every channel kind set in the console', () => {
  let t: TestWorker;
  let lists: StubHttpServer;
  let receiver: StubHttpServer;
  let dir: TempDir;
  const served: Record<string, string> = {
    '/feed.txt': '# feed\n198.51.100.0/24\n203.0.113.7\n',
    '/loopback.txt': '198.51.100.0/24\n127.0.0.0/8\n',
    '/proxy.txt': '10.0.0.0/8\n',
    '/allowed.txt': '192.0.2.0/23\n',
  };
  const save = (section: string, value: unknown) =>
    internalCall<SectionView & ErrorBody>(t.port, `/internal/v1/settings/${section}`, { actor: 'user:ada', value });
  const defenseValue = async () =>
    (await internalCall<{ sections: SectionView[] }>(t.port, '/internal/v1/settings')).body.sections.find((s) => s.section === 'defense')!;
  const withLists = async (blocklists: unknown[]) => ({ ...((await defenseValue()).value as object), blocklists });

  beforeAll(async () => {
    lists = await startStubHttpServer((request, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(served[request.path] ?? ''));
    // Each paging and chat service's success answer, as their APIs give it.
    receiver = await startStubHttpServer((request, res) => {
      if (request.path.includes('/sendMessage')) return sendJsonResponse(res, 200, { ok: true, result: { message_id: 1 } });
      if (request.path.startsWith('/1/messages')) return sendJsonResponse(res, 200, { status: 1, request: 'r' });
      if (request.path.startsWith('/v2/enqueue')) return sendJsonResponse(res, 202, { status: 'success', dedup_key: 'k' });
      if (request.path.startsWith('/v2/alerts')) return sendJsonResponse(res, 202, { result: 'Request will be processed', requestId: 'r' });
      return sendJsonResponse(res, 200, {});
    });
    dir = makeTempDir('vigil-console-defense-');
    writeFileSync(dir.join('credential'), 'credential-123\n');
    t = await startDefenseWorker({ yaml: 'trustedProxies: ["127.0.0.1", "10.1.2.3"]\nallowlist: ["192.0.2.0/24"]\n' });
  });

  afterAll(async () => {
    await t?.destroy();
    await lists?.close();
    await receiver?.close();
    dir?.remove();
  });

  it('refuses a blocklist that covers loopback, a trusted proxy or the allowlist, or is not http(s), and keeps the section as it was', async () => {
    const refused = async (list: Record<string, unknown>) => {
      const answer = await save('defense', await withLists([list]));
      expect(answer.status).toBe(400);
      return answer.body.error.message;
    };
    expect(await refused({ name: 'lo', url: `${lists.url}/loopback.txt` })).toContain('lo covers 127.0.0.0/8 (loopback)');
    expect(await refused({ name: 'proxy', url: `${lists.url}/proxy.txt` })).toContain('proxy covers 10.1.2.3 (a trusted proxy)');
    expect(await refused({ name: 'allowed', url: `${lists.url}/allowed.txt` })).toContain('allowed covers 192.0.2.0/24 (the allowlist)');
    expect(await refused({ name: 'ftp', url: 'ftp://127.0.0.1/list.txt' })).toContain('defense.blocklists.0.url: must be an http(s) URL');
    expect(await refused({ name: 'gone', url: 'http://127.0.0.1:9/none.txt' })).toContain('gone: could not be read');
    expect((await defenseValue()).origin).toBe('file');
  });

  it('reads a blocklist saved in the console at once: its count is shown and its addresses are refused at the guard', async () => {
    expect((await viaProxy(t.port, '198.51.100.9')).status).toBe(204);
    const answer = await save('defense', await withLists([{ name: 'feed', url: `${lists.url}/feed.txt`, refreshMinutes: 30 }]));
    expect(answer.status).toBe(200);
    expect(answer.body.origin).toBe('console');
    const status = await waitFor(
      async () => (await internalCall<BlocklistsResponse>(t.port, '/internal/v1/defense/blocklists')).body.blocklists.find((s) => s.lastRefreshAt !== null),
      { what: 'the console’s list read' },
    );
    expect(status).toMatchObject({ name: 'feed', entries: 2 });
    expect((await viaProxy(t.port, '198.51.100.9')).status).toBe(403);
    expect((await viaProxy(t.port, '203.0.113.8')).status).toBe(204);
  });

  it('puts isolation and elevated-mode settings in force', async () => {
    const value = { ...((await defenseValue()).value as Record<string, unknown>) };
    const answer = await save('defense', {
      ...value,
      isolation: { ...(value.isolation as object), baseHours: 2 },
      elevated: { ...(value.elevated as object), threats: 9 },
    });
    expect(answer.status).toBe(200);
    expect(t.worker.config.loaded.config.defense.isolation.baseHours).toBe(2);
    expect(t.worker.config.loaded.config.defense.elevated.threats).toBe(9);
    const bad = await save('defense', { ...value, elevated: { ...(value.elevated as object), capacityFactor: 2 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('defense.elevated.capacityFactor');
  });

  it.each([
    ['telegram', { botToken: { file: 'CRED' }, chatId: '-100123' }, /^\/botcredential-123\/sendMessage$/],
    ['pushover', { token: { file: 'CRED' }, user: { file: 'CRED' } }, /^\/1\/messages\.json$/],
    ['pagerduty', { routingKey: { file: 'CRED' } }, /^\/v2\/enqueue$/],
    ['opsgenie', { apiKey: { file: 'CRED' } }, /^\/v2\/alerts$/],
    ['alertmanager', { urls: ['RECEIVER'] }, /^\/api\/v2\/alerts$/],
  ])('a %s channel saved in the console delivers its test to the receiver', async (kind, fields, path) => {
    const credentials = JSON.parse(JSON.stringify(fields).replaceAll('CRED', dir.join('credential')).replaceAll('RECEIVER', receiver.url)) as object;
    const apiUrl = kind === 'alertmanager' ? {} : { apiUrl: receiver.url };
    const before = receiver.requests.length;
    const answer = await save('notifications', { channels: [{ name: `c-${kind}`, kind, retries: 0, ...apiUrl, ...credentials }] });
    expect(answer.status).toBe(200);
    const test = await internalCall<{ code: string; error: string | null }>(t.port, `/internal/v1/notifications/channels/c-${kind}/test`, {
      actor: 'user:ada',
    });
    expect(test.body).toMatchObject({ code: 'sent', error: null });
    expect(receiver.requests.slice(before).map((r) => r.path)).toEqual([expect.stringMatching(path)]);
  });
});
