import { realpathSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlocklistsResponse, BlocklistStatus } from '@/lib/defense/blocklist-api';
import { api, makeTempDir, readWholeChain, TEST_API_TOKEN, waitFor, type TempDir, type TestWorker } from '../../test-support';
import { internalCall, startDefenseWorker } from '../../test-support/defense-worker';
import { guardCheck } from '../../test-support/guard';
import { startStubHttpServer, type StubHttpServer } from '../../test-support/stub-http-server';
import type { BouncerDecision } from '../decision-stream';

interface ErrorBody {
  error: { code: string; message: string };
}
type Stream = { new: BouncerDecision[]; deleted: BouncerDecision[] };

const viaProxy = (port: number, client: string) => guardCheck(port, { headers: { 'x-forwarded-for': `${client}, 127.0.0.1` } });

describe('imported IP lists in a real worker', () => {
  let t: TestWorker;
  let feed: StubHttpServer;
  let dir: TempDir;
  /** What the list server answers; tests change it between refreshes. */
  let served = { type: 'text/plain', body: '' };

  const poll = (startup: boolean) => api<Stream>(t.port, `/api/v1/decisions/stream?startup=${startup}`, { headers: { 'x-api-key': TEST_API_TOKEN } });
  const statuses = async () => (await internalCall<BlocklistsResponse>(t.port, '/internal/v1/defense/blocklists')).body.blocklists;
  const refresh = (name: string) =>
    internalCall<BlocklistStatus & ErrorBody>(t.port, '/internal/v1/defense/blocklists/refresh', {
      name,
      actor: 'user:alice',
      reason: 'list updated upstream',
    });
  const events = async (type: string) => (await readWholeChain(t.worker.database)).filter((e) => e.type === type);

  beforeAll(async () => {
    served = {
      type: 'text/plain',
      body: ['# feed', '198.51.100.0/25', '198.51.100.128/25', '203.0.113.7', '192.0.2.0/23', '127.0.0.0/8', '2001:db8:bad::/48'].join('\n'),
    };
    feed = await startStubHttpServer((_request, res) => res.writeHead(200, { 'content-type': served.type }).end(served.body));
    dir = makeTempDir('vigil-blocklist-');
    const file = `${realpathSync(dir.path)}/local.netset`;
    writeFileSync(file, '# local\n100.64.0.0/10\n');
    t = await startDefenseWorker({
      yaml: `
trustedProxies: ["127.0.0.1"]
allowlist: ["192.0.2.0/24"]
defense:
  blocklists:
    - { name: feed, url: "${feed.url}/feed.txt?key=secret-api-key", refreshMinutes: 30 }
    - { name: local, path: "${file}", refreshMinutes: 60 }
`,
    });
    await waitFor(async () => (await statuses()).every((s) => s.lastRefreshAt !== null), { what: 'both lists read at start' });
  });

  afterAll(async () => {
    await t?.destroy();
    await feed?.close();
    dir?.remove();
  });

  it('reports each list with its counts, carving out the allowlist, loopback and trusted proxies', async () => {
    const [feedStatus, local] = await statuses();
    expect(feedStatus).toMatchObject({
      name: 'feed',
      kind: 'url',
      source: `${feed.url}/feed.txt?…`,
      entries: 6,
      excluded: 2,
      lastError: null,
      refreshing: false,
    });
    // 198.51.100.0/24, 203.0.113.7, 192.0.3.0/24 (the allowlisted half carved out), the v6 range.
    expect(feedStatus.intervals).toBe(4);
    expect(Date.parse(feedStatus.nextRefreshAt!) - Date.parse(feedStatus.lastRefreshAt!)).toBeGreaterThanOrEqual(30 * 60_000 - 1000);
    expect(local).toMatchObject({ name: 'local', kind: 'file', entries: 1, intervals: 1, ranges: 1, excluded: 0 });
    const refreshed = await waitFor(async () => ((await events('defense.blocklist_refreshed')).length === 2 ? events('defense.blocklist_refreshed') : null), {
      what: 'one audit event per list',
    });
    expect(refreshed.map((e) => e.resource).sort()).toEqual(['blocklist:feed', 'blocklist:local']);
    expect(refreshed.find((e) => e.resource === 'blocklist:feed')!.details).toMatchObject({
      entries: 6,
      intervals: 4,
      excluded: 2,
      added: feedStatus.ranges,
      removed: 0,
    });
    expect(JSON.stringify(refreshed)).not.toContain('secret-api-key');
  });

  it('has the guard refuse a listed address and pass the excluded ones', async () => {
    expect(await viaProxy(t.port, '198.51.100.200')).toEqual({ status: 403, decision: 'isolated' });
    expect((await viaProxy(t.port, '203.0.113.7')).status).toBe(403);
    expect((await viaProxy(t.port, '100.100.1.1')).status).toBe(403);
    expect((await viaProxy(t.port, '2001:db8:bad::1')).status).toBe(403);
    expect((await viaProxy(t.port, '192.0.3.4')).status).toBe(403);
    expect((await viaProxy(t.port, '192.0.2.4')).status).toBe(204);
    expect((await viaProxy(t.port, '203.0.113.8')).status).toBe(204);
    // The trusted proxy itself, on loopback, which the list names, still passes.
    expect((await guardCheck(t.port)).status).toBe(204);
  });

  it('delivers the ranges to bouncers at startup and the changes of a refresh as a delta', async () => {
    const first = await poll(true);
    const values = first.body.new.filter((d) => d.origin === 'blocklist:feed').map((d) => d.value);
    expect(values.sort()).toEqual(['192.0.3.0/24', '198.51.100.0/24', '2001:db8:bad::/48', '203.0.113.7']);
    expect(first.body.new.find((d) => d.value === '198.51.100.0/24')).toMatchObject({ type: 'ban', scope: 'Range', scenario: 'blocklist:feed' });
    expect(first.body.new.find((d) => d.value === '203.0.113.7')).toMatchObject({ scope: 'Ip' });
    expect(first.body.new.find((d) => d.value === '100.64.0.0/10')).toMatchObject({ origin: 'blocklist:local' });
    expect(values.some((v) => v.startsWith('127.'))).toBe(false);
    expect((await poll(false)).body).toEqual({ new: [], deleted: [] });

    served = { type: 'text/plain', body: '198.51.100.0/24\n203.0.113.99\n' };
    const refreshed = await refresh('feed');
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({ entries: 2, intervals: 2, ranges: 2, excluded: 0, lastError: null });
    const delta = await poll(false);
    expect(delta.body.deleted.map((d) => d.value).sort()).toEqual(['192.0.3.0/24', '2001:db8:bad::/48', '203.0.113.7']);
    // Every range of the refreshed list again, with its new expiry; the other list is untouched.
    expect(delta.body.new.map((d) => d.value).sort()).toEqual(['198.51.100.0/24', '203.0.113.99']);
    const kept = first.body.new.find((d) => d.value === '198.51.100.0/24')!;
    expect(delta.body.new.find((d) => d.value === '198.51.100.0/24')!.id).toBe(kept.id);
    expect((await viaProxy(t.port, '203.0.113.7')).status).toBe(204);
    expect((await viaProxy(t.port, '203.0.113.99')).status).toBe(403);
    const operator = (await events('defense.blocklist_refreshed')).find((e) => e.actor === 'user:alice')!;
    expect(operator).toMatchObject({ method: 'operator', reason: 'list updated upstream', details: { entries: 2, added: 1, removed: 3 } });
  });

  it('refuses a list that turned into an HTML page, keeps the previous one and says why', async () => {
    served = { type: 'text/html', body: '<html>maintenance</html>' };
    const refused = await refresh('feed');
    expect(refused.status).toBe(200);
    expect(refused.body.lastError?.message).toBe('the source answered with an HTML page, not a list of addresses');
    expect(refused.body.entries).toBe(2);
    expect((await viaProxy(t.port, '203.0.113.99')).status).toBe(403);
    expect((await poll(false)).body).toEqual({ new: [], deleted: [] });
    const failed = await waitFor(async () => (await events('defense.blocklist_refresh_failed'))[0], { what: 'the refusal audited' });
    expect(failed).toMatchObject({
      severity: 'warning',
      resource: 'blocklist:feed',
      actor: 'user:alice',
      reason: 'the source answered with an HTML page, not a list of addresses; the previous list stays in force until it expires',
    });
  });

  it('answers 404 for a list that is not configured and 422 for a bad body', async () => {
    const missing = await refresh('nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe('no blocklist named "nope" is configured');
    const bad = await internalCall<ErrorBody>(t.port, '/internal/v1/defense/blocklists/refresh', { name: '../etc', actor: 'user:alice' });
    expect(bad.status).toBe(422);
  });
});
