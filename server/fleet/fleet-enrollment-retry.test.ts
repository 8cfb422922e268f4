import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, makeTempDir, TEST_API_TOKEN, type TempDir } from '../test-support';
import { createEnrollment, listHosts, startAgentProcess, startConsoleProcess, stopProcess, waitForHost, type FleetProcess } from '../test-support/fleet';
import { startLossyProxy, type LossyProxy } from '../test-support/lossy-proxy';

const publicKeyPem = () => generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();

describe('an enrollment whose answer was lost', () => {
  let tmp: TempDir;
  let consoleProcess: FleetProcess;
  let agent: FleetProcess | null = null;
  let proxy: LossyProxy | null = null;

  beforeAll(async () => {
    tmp = makeTempDir('vigil-enroll-retry-');
    consoleProcess = await startConsoleProcess({ dataDir: tmp.join('console') });
  });

  afterAll(async () => {
    await stopProcess(agent);
    await proxy?.close();
    await stopProcess(consoleProcess);
    tmp.remove();
  });

  it('is retried by the agent with the same key and answered with the same host, spending the token once', { timeout: 120_000 }, async () => {
    const port = consoleProcess.port;
    const token = await createEnrollment(port, { labels: { role: 'web' }, uses: 1, expiresInMinutes: 5 });
    // The console commits the enrollment; the agent never hears so and tries again.
    proxy = await startLossyProxy(port, 'POST /api/v1/fleet/agents');
    agent = await startAgentProcess({ dataDir: tmp.join('agent'), consolePort: proxy.port, token, name: 'edge1' });

    const host = await waitForHost(port, 'edge1', (h) => h.connected, 'connected after its retried enrollment', 60_000);
    expect(proxy.dropped()).toBe(1);
    expect(host.labels).toEqual({ role: 'web' });
    expect((await listHosts(port)).filter((h) => h.name === 'edge1')).toHaveLength(1);
    const enrolled = await api<{ events: Array<{ resource: string | null }> }>(port, '/api/v1/audit?type=fleet.host_enrolled&limit=50', {
      token: TEST_API_TOKEN,
    });
    expect(enrolled.body.events.map((event) => event.resource)).toEqual([`host:${host.id}`]);

    // Its one use is spent: another key with the same token is refused.
    const other = await api(port, '/api/v1/fleet/agents', { json: { token, publicKey: publicKeyPem(), name: 'edge2' } });
    expect(other.status).toBe(401);
  });

  it('answers a repeat with the same key and token with the same host, without a second row or a second use', { timeout: 60_000 }, async () => {
    const port = consoleProcess.port;
    const token = await createEnrollment(port, { labels: {}, uses: 2, expiresInMinutes: 5 });
    const publicKey = publicKeyPem();
    const first = await api<{ hostId: number }>(port, '/api/v1/fleet/agents', { json: { token, publicKey, name: 'twice' } });
    const again = await api<{ hostId: number }>(port, '/api/v1/fleet/agents', { json: { token, publicKey, name: 'twice' } });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.hostId).toBe(first.body.hostId);
    expect((await listHosts(port)).filter((h) => h.name === 'twice')).toHaveLength(1);
    // The second use is still there for another agent.
    expect((await api(port, '/api/v1/fleet/agents', { json: { token, publicKey: publicKeyPem(), name: 'third' } })).status).toBe(201);
  });
});
