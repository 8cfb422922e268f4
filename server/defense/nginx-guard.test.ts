import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, findFreePort, makeTempDir, TEST_API_TOKEN, waitFor, type TempDir, type TestWorker } from '../test-support';
import { internalCall, startDefenseWorker } from '../test-support/defense-worker';
import { getFrom, guardCheck } from '../test-support/guard';
import { createNetnsHost, httpStatusesFrom, type NetnsHost } from '../test-support/netns';
import { nginxPath, startNginxGuard } from '../test-support/nginx';

/**
 * A real nginx (Debian package) with auth_request in front of a real upstream. Clients
 * connect from different loopback addresses, so nginx's $remote_addr differs per client.
 * Loopback is never isolated, so the client to isolate is a test host in a network namespace
 * of its own, reaching nginx on the host side of its veth: no address of the machine is used.
 * The same proxy asks the worker's own port, or the dedicated guard process's (VIGIL_GUARD_PORT).
 */
describe.each([
  { guard: 'the worker', dedicated: false },
  { guard: 'the dedicated guard process', dedicated: true },
])('nginx auth_request in front of $guard', ({ dedicated }) => {
  let t: TestWorker;
  let upstream: Server;
  let proxy: Awaited<ReturnType<typeof startNginxGuard>>;
  let dir: TempDir;
  let proxyPort: number;
  let outsiderHost: NetnsHost;
  let outsider: string;

  /** Statuses of GETs the outsider sends from its namespace through nginx. */
  const fromOutsider = (path: string, options: Parameters<typeof httpStatusesFrom>[2] = {}) =>
    httpStatusesFrom(outsiderHost, `http://${outsiderHost.hostAddress}:${proxyPort}${path}`, options);

  /**
   * Until the guard answers `status` for `xff` (sent as the trusted proxy would): the worker answers
   * from the state it just changed, a guard process once the change has crossed the IPC channel.
   */
  const guardSays = (xff: string, status: number) =>
    waitFor(async () => (await guardCheck(guardPort, { headers: { 'x-forwarded-for': xff } })).status === status, { what: `the guard answering ${status}` });
  let guardPort: number;

  beforeAll(async () => {
    outsiderHost = await createNetnsHost();
    outsider = outsiderHost.nsAddress;
    t = await startDefenseWorker({ yaml: 'trustedProxies: ["127.0.0.1"]\nallowlist: ["127.0.0.9"]\n', vars: dedicated ? { VIGIL_GUARD_PORT: '0' } : {} });
    upstream = createServer((req, res) => res.end(`upstream saw ${req.url}`));
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const upstreamPort = (upstream.address() as { port: number }).port;
    guardPort = dedicated ? t.worker.guard!.port! : t.port;
    dir = makeTempDir('vigil-nginx-');
    proxyPort = await findFreePort();
    proxy = await startNginxGuard({
      nginx: nginxPath(),
      dir: dir.path,
      listenPort: proxyPort,
      listenAddresses: ['127.0.0.1', outsiderHost.hostAddress],
      workerPort: guardPort,
      upstreamPort,
    });
  });

  afterAll(async () => {
    await proxy?.stop();
    await new Promise((resolve) => upstream?.close(resolve));
    await t?.destroy();
    dir?.remove();
    await outsiderHost?.destroy();
  });

  it('passes clients through to the upstream', async () => {
    expect(await getFrom(proxyPort, '/hello?x=1', '127.0.0.2')).toEqual({ status: 200, body: 'upstream saw /hello?x=1' });
    expect((await getFrom(proxyPort, '/', '127.0.0.3')).status).toBe(200);
    expect(await fromOutsider('/')).toEqual([200]);
  });

  it('answers 403 to an isolated client only, whatever X-Forwarded-For it sends', async () => {
    const isolated = await api(t.port, '/api/v1/isolations', { json: { source: outsider, duration: '1h', reason: 'nginx test' }, token: TEST_API_TOKEN });
    expect(isolated.status).toBe(201);
    await guardSays(outsider, 403);
    const deniedBefore = t.worker.defense.guardStats.denied;
    expect(await fromOutsider('/')).toEqual([403]);
    expect(await fromOutsider('/', { headers: { 'x-forwarded-for': '127.0.0.3' } })).toEqual([403]);
    expect((await getFrom(proxyPort, '/', '127.0.0.3')).status).toBe(200);
    // Both refusals were the guard's (a guard process reports its counts within a batch's time).
    await waitFor(() => t.worker.defense.guardStats.denied - deniedBefore >= 2, { what: 'both refusals counted' });
  });

  it('LOCKDOWN blocks everyone outside the allowlist; lifting restores access', async () => {
    expect((await internalCall(t.port, '/internal/v1/defense/lockdown', { actor: 'user:admin', reason: 'nginx lockdown test' })).status).toBe(200);
    await guardSays('198.51.100.3', 403);
    expect((await getFrom(proxyPort, '/', '127.0.0.3')).status).toBe(403);
    expect((await getFrom(proxyPort, '/', '127.0.0.4')).status).toBe(403);
    expect((await getFrom(proxyPort, '/', '127.0.0.9')).status).toBe(200);
    expect((await internalCall(t.port, '/internal/v1/defense/lift', { actor: 'user:admin', reason: 'all clear' })).status).toBe(200);
    await guardSays('198.51.100.3', 204);
    expect((await getFrom(proxyPort, '/', '127.0.0.3')).status).toBe(200);
    expect((await getFrom(proxyPort, '/', '127.0.0.4')).status).toBe(200);
    // Still isolated after the lockdown ends.
    expect(await fromOutsider('/')).toEqual([403]);
    const restored = await api(t.port, `/api/v1/isolations/${outsider}`, { method: 'DELETE', token: TEST_API_TOKEN });
    expect(restored.status).toBe(200);
    await guardSays(outsider, 204);
    expect(await fromOutsider('/')).toEqual([200]);
  });

  it('isolates a client that floods through nginx (every guard check counts)', async () => {
    // A guard process hands its counts over in batches: a few more requests pass before the isolation reaches it.
    const statuses = await fromOutsider('/page', { count: dedicated ? 2000 : 520, whileStatus: 200 });
    expect(statuses.at(-1)).toBe(403);
    expect(t.worker.defense.blocklist.get(outsider)).toMatchObject({ origin: 'auto', scenario: 'rate-abuse-critical' });
    expect((await getFrom(proxyPort, '/', '127.0.0.6')).status).toBe(200);
  });
});
