import { createHash, generateKeyPairSync } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, makeTempDir, TEST_API_TOKEN, waitFor, type TempDir } from '../test-support';
import { guardCheck } from '../test-support/guard';
import { createEnrollment, listHosts, startAgentProcess, startConsoleProcess, stopProcess, waitForHost, type FleetProcess } from '../test-support/fleet';

const PACKAGE_VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
const publicKeyPem = () => generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
const enroll = (consolePort: number, token: string, name = 'probe') =>
  api(consolePort, '/api/v1/fleet/agents', { json: { token, publicKey: publicKeyPem(), name } });

/** The guard's answer for `source` as nginx would ask it, through a trusted loopback proxy. */
const guardFor = async (agent: FleetProcess, source: string) => (await guardCheck(agent.port, { headers: { 'x-real-ip': source } })).status;

/** Milliseconds from `startedAt` until the agent's guard refuses `source`. */
async function refusedAfter(agent: FleetProcess, source: string, startedAt: number): Promise<number> {
  await waitFor(async () => (await guardFor(agent, source)) === 403, {
    timeoutMs: 10_000,
    intervalMs: 5,
    what: `the guard on ${agent.port} to refuse ${source}`,
  });
  return Date.now() - startedAt;
}

describe('a fleet: a console worker and three agent workers on loopback', () => {
  let tmp: TempDir;
  let consoleProcess: FleetProcess;
  const agents: Record<'web1' | 'web2' | 'db1', FleetProcess | null> = { web1: null, web2: null, db1: null };
  let webToken: string;

  beforeAll(async () => {
    tmp = makeTempDir('vigil-fleet-');
    consoleProcess = await startConsoleProcess({ dataDir: tmp.join('console') });
  });

  afterAll(async () => {
    await Promise.all([consoleProcess, ...Object.values(agents)].map((process) => stopProcess(process)));
    tmp.remove();
  });

  it(
    'enrolls agents with a token that keeps only its hash, carries its labels, and refuses wrong, expired and used-up tokens',
    { timeout: 120_000 },
    async () => {
      const port = consoleProcess.port;
      webToken = await createEnrollment(port, { labels: { role: 'web', site: 'fra' }, uses: 2, expiresInMinutes: 10 });
      const dbToken = await createEnrollment(port, { labels: { role: 'db' }, uses: 1, expiresInMinutes: 10 });
      const expiring = await createEnrollment(port, { labels: {}, uses: 5, expiresInMinutes: 1 });
      expect(webToken).toMatch(/^vfe_[A-Za-z0-9_-]{43}$/);

      // Only the hash is at rest; the secret appears nowhere in the database.
      const sqlite = new BetterSqlite3(path.join(consoleProcess.dataDir, 'vigil.db'));
      try {
        const hashes = sqlite.prepare('SELECT "tokenHash" FROM "EnrollmentToken"').all() as Array<{ tokenHash: string }>;
        expect(hashes.map((row) => row.tokenHash)).toContain(createHash('sha256').update(webToken).digest('hex'));
        expect(readFileSync(path.join(consoleProcess.dataDir, 'vigil.db')).includes(webToken)).toBe(false);
        // Expired: moved into the past the way the clock would.
        sqlite.prepare('UPDATE "EnrollmentToken" SET "expiresAt" = "createdAt" WHERE "tokenHash" = ?').run(createHash('sha256').update(expiring).digest('hex'));
      } finally {
        sqlite.close();
      }
      const expired = await enroll(port, expiring);
      expect(expired.status).toBe(401);
      expect(expired.body).toMatchObject({ error: { code: 'enrollment_refused' } });
      expect((await enroll(port, 'vfe_' + 'x'.repeat(43))).status).toBe(401);

      [agents.web1, agents.web2, agents.db1] = await Promise.all([
        startAgentProcess({ dataDir: tmp.join('web1'), consolePort: port, token: webToken, name: 'web1' }),
        startAgentProcess({ dataDir: tmp.join('web2'), consolePort: port, token: webToken, name: 'web2' }),
        startAgentProcess({ dataDir: tmp.join('db1'), consolePort: port, token: dbToken, name: 'db1' }),
      ]);
      // Two uses, both spent.
      expect((await enroll(port, webToken)).status).toBe(401);

      for (const name of ['web1', 'web2', 'db1'] as const) {
        const host = await waitForHost(port, name, (h) => h.connected && h.healthScore !== null && h.status !== null, 'connected with a heartbeat');
        // What the fleet page shows: the agent's version, its open incidents, its risk by subsystem kind.
        expect(host.status).toMatchObject({ version: PACKAGE_VERSION, openIncidents: 0 });
        for (const risk of Object.values(host.status!.risk)) expect(risk === null || (risk! >= 0 && risk! <= 100)).toBe(true);
        expect(host.healthScore).toBeGreaterThanOrEqual(0);
        expect(host.healthScore).toBeLessThanOrEqual(100);
        expect(host.degradation).toMatch(/^(NORMAL|LEVEL_[123]|EMERGENCY)$/);
        expect(host.defenseMode).toBe('NORMAL');
        expect(host.labels).toEqual(name === 'db1' ? { role: 'db' } : { role: 'web', site: 'fra' });
        // The private key is the agent's alone.
        expect(statSync(path.join(agents[name]!.dataDir, 'fleet', 'agent.key')).mode & 0o777).toBe(0o600);
      }
      const hosts = await listHosts(port);
      expect(hosts.map((host) => host.id)).toEqual([1, 2, 3, 4]);
      expect(hosts[0]).toMatchObject({ id: 1, name: 'local', connected: true, status: { version: PACKAGE_VERSION } });
    },
  );

  it('isolates a source on every agent once the console decides it fleet-wide', { timeout: 60_000 }, async () => {
    const source = '203.0.113.77';
    const connected = Object.values(agents) as FleetProcess[];
    for (const agent of connected) expect(await guardFor(agent, source)).toBe(204);
    const startedAt = Date.now();
    const answer = await api(consoleProcess.port, '/api/v1/isolations', {
      token: TEST_API_TOKEN,
      json: { source, reason: 'scanning every host', scope: 'fleet', duration: '1h' },
    });
    const answeredMs = Date.now() - startedAt;
    expect(answer.status).toBe(201);
    const latencies = await Promise.all(connected.map((agent) => refusedAfter(agent, source, startedAt)));
    console.info(`fleet isolation: console answered after ${answeredMs} ms; enforced on ${latencies.length} agents after ${latencies.join(', ')} ms`);
    // Every agent enforces it; how fast is measured by bench/fleet-isolation.ts (a bound here would test the machine's load).
    expect(latencies).toHaveLength(3);
    // The console is host 1 of its own fleet: it isolated the source too.
    expect(await guardFor(consoleProcess, source)).toBe(403);
  });

  it('reuses its identity after a restart and receives, on reconnecting, what the fleet decided while it was away', { timeout: 120_000 }, async () => {
    const before = (await listHosts(consoleProcess.port)).find((host) => host.name === 'db1')!;
    await stopProcess(agents.db1);
    await waitForHost(consoleProcess.port, 'db1', (h) => !h.connected, 'disconnected');
    const decidedWhileAway = '198.51.100.23';
    const answer = await api(consoleProcess.port, '/api/v1/isolations', {
      token: TEST_API_TOKEN,
      json: { source: decidedWhileAway, reason: 'while db1 was away', scope: 'fleet', duration: '1h' },
    });
    expect(answer.status).toBe(201);

    // No token this time: the identity in its data directory is enough.
    agents.db1 = await startAgentProcess({ dataDir: tmp.join('db1'), consolePort: consoleProcess.port, name: 'db1' });
    await waitForHost(consoleProcess.port, 'db1', (h) => h.connected, 'reconnected');
    const hosts = await listHosts(consoleProcess.port);
    expect(hosts.filter((host) => host.name === 'db1').map((host) => host.id)).toEqual([before.id]);
    await refusedAfter(agents.db1, decidedWhileAway, Date.now());
  });

  it('cuts a revoked host off at once and refuses it afterwards', { timeout: 60_000 }, async () => {
    const web2 = (await listHosts(consoleProcess.port)).find((host) => host.name === 'web2')!;
    const viewerRefused = await api(consoleProcess.port, `/api/v1/hosts/${web2.id}/revoke`, { method: 'POST' });
    expect(viewerRefused.status).toBe(401);
    const revoked = await api(consoleProcess.port, `/api/v1/hosts/${web2.id}/revoke`, { method: 'POST', token: TEST_API_TOKEN });
    expect(revoked.status).toBe(200);
    const listed = await waitForHost(consoleProcess.port, 'web2', (h) => !h.connected, 'disconnected after its revocation');
    expect(listed.revokedAt).not.toBeNull();

    // The next fleet-wide decision reaches web1 but not the revoked web2.
    const source = '192.0.2.44';
    const answer = await api(consoleProcess.port, '/api/v1/isolations', {
      token: TEST_API_TOKEN,
      json: { source, reason: 'after the revocation', scope: 'fleet' },
    });
    expect(answer.status).toBe(201);
    await refusedAfter(agents.web1!, source, Date.now());
    await refusedAfter(agents.db1!, source, Date.now());
    expect(await guardFor(agents.web2!, source)).toBe(204);
    expect((await listHosts(consoleProcess.port)).find((host) => host.name === 'web2')!.connected).toBe(false);
  });

  it('agents reconnect to a console that restarted', { timeout: 120_000 }, async () => {
    const { port, dataDir } = consoleProcess;
    await stopProcess(consoleProcess);
    consoleProcess = await startConsoleProcess({ dataDir, port });
    // Remote hosts start disconnected on a new console; each must come back by itself.
    for (const name of ['web1', 'db1']) await waitForHost(port, name, (h) => h.connected, 'reconnected to the restarted console', 60_000);
    expect((await listHosts(port)).find((host) => host.name === 'web2')!.connected).toBe(false);
  });
});
