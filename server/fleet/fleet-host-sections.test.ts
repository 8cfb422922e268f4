import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLEET_QUERY_EVENT, type FleetQuery, type FleetQueryAnswer, type HostSectionView } from '@/lib/fleet/fleet-query-api';
import { loadCheckpointKey } from '../audit/checkpoint-key';
import { api, makeTempDir, TEST_API_TOKEN, waitFor, type TempDir } from '../test-support';
import { createEnrollment, startAgentProcess, startConsoleProcess, stopProcess, waitForHost, type FleetProcess } from '../test-support/fleet';
import { insertRoleToken, sendFleetCommand, settledFleetCommand } from '../test-support/fleet-commands';
import { ImpostorConsole } from '../test-support/fleet-impostor';
import { ProtocolAgent } from '../test-support/fleet-protocol-agent';
import { startStubHttpServer, type StubHttpServer } from '../test-support/stub-http-server';
import { signQuery } from './fleet-query-signing';
import { newNonce } from './fleet-signing';

type Listed = Array<{ id?: string; name?: string } & Record<string, unknown>>;

const section = <T>(port: number, hostId: number | string, name: string, token: string | null = TEST_API_TOKEN) =>
  api<HostSectionView<T>>(port, `/api/v1/hosts/${hostId}/${name}`, { token });

describe("the console shows a remote host's own modules, incidents, snapshots and threats", () => {
  let tmp: TempDir;
  let consoleProcess: FleetProcess | null = null;
  let agent: FleetProcess | null = null;
  let hostile: ProtocolAgent | null = null;
  let impostor: ImpostorConsole | null = null;
  let services: StubHttpServer;
  let hostId: number;
  let viewerToken: string;

  beforeAll(async () => {
    tmp = makeTempDir('vigil-fleet-sections-');
    // The agent's service is down from the start: its module fails and an incident opens on the agent.
    services = await startStubHttpServer((_request, res) => res.writeHead(503).end('down'));
    consoleProcess = await startConsoleProcess({ dataDir: tmp.join('console') });
    viewerToken = insertRoleToken(consoleProcess.dataDir, 'viewer');
    const token = await createEnrollment(consoleProcess.port, { labels: { site: 'fra' }, uses: 2, expiresInMinutes: 10 });
    const siteDir = tmp.join('site');
    mkdirSync(siteDir, { recursive: true });
    writeFileSync(path.join(siteDir, 'index.html'), 'the known-good page\n');
    mkdirSync(tmp.join('edge1'), { recursive: true });
    writeFileSync(
      path.join(tmp.join('edge1'), 'vigil.config.yaml'),
      `modules:\n  - { name: web, kind: http, url: "${services.url}/health", intervalSeconds: 1, failureThreshold: 1, observeOnly: true }\n` +
        `snapshots:\n  sources:\n    - { name: site, path: ${JSON.stringify(siteDir)} }\n`,
    );
    agent = await startAgentProcess({ dataDir: tmp.join('edge1'), consolePort: consoleProcess.port, token, name: 'edge1' });
    hostId = (await waitForHost(consoleProcess.port, 'edge1', (h) => h.connected, 'connected')).id;
    hostile = await ProtocolAgent.enroll(consoleProcess.port, token, 'hostile');
    const golden = await sendFleetCommand(consoleProcess.port, { target: { hostId }, action: { kind: 'snapshot-create', name: 'known-good', golden: true } });
    expect(golden.status).toBe(202);
    expect((await settledFleetCommand(consoleProcess.port, golden.body.id)).hosts[0]).toMatchObject({ status: 'succeeded' });
    await waitFor(async () => ((await api<Listed>(agent!.port, '/api/v1/incidents', { token: TEST_API_TOKEN })).body.length > 0 ? true : undefined), {
      timeoutMs: 60_000,
      what: 'an incident on the agent',
    });
  }, 180_000);

  afterAll(async () => {
    hostile?.close();
    await impostor?.close();
    await Promise.all([stopProcess(consoleProcess), stopProcess(agent)]);
    await services?.close();
    tmp?.remove();
  });

  it("answers the agent's modules, incidents and golden snapshot in the shapes of the agent's own API, to a viewer", { timeout: 60_000 }, async () => {
    const port = consoleProcess!.port;
    const ownModules = (await api<Listed>(agent!.port, '/api/v1/modules', { token: TEST_API_TOKEN })).body;
    const ownIncidents = (await api<Listed>(agent!.port, '/api/v1/incidents', { token: TEST_API_TOKEN })).body;

    const modules = await section<Listed>(port, hostId, 'modules', viewerToken);
    expect(modules.status).toBe(200);
    expect(modules.body).toMatchObject({ hostId, section: 'modules', live: true });
    expect(Date.parse(modules.body.asOf)).toBeGreaterThan(Date.now() - 60_000);
    expect(modules.body.data.map((m) => m.name)).toEqual(ownModules.map((m) => m.name));
    expect(Object.keys(modules.body.data[0]).sort()).toEqual(Object.keys(ownModules[0]).sort());

    const incidents = await section<Listed>(port, hostId, 'incidents', viewerToken);
    expect(incidents.status).toBe(200);
    const first = incidents.body.data.find((incident) => incident.id === ownIncidents[0].id);
    expect(first).toBeDefined();
    expect(Object.keys(first!).sort()).toEqual(Object.keys(ownIncidents[0]).sort());
    expect(first).toMatchObject({ module: 'web' });

    const snapshots = await section<{ snapshots: Array<{ name: string; tags: string[] }>; golden: { newest: { name: string } | null } }>(
      port,
      hostId,
      'snapshots',
      viewerToken,
    );
    expect(snapshots.status).toBe(200);
    expect(snapshots.body.data.snapshots).toEqual([expect.objectContaining({ name: 'known-good', tags: ['golden'] })]);
    expect(snapshots.body.data.golden.newest).toMatchObject({ name: 'known-good' });

    const healing = await section<{ modules: Listed }>(port, hostId, 'healing', viewerToken);
    expect(healing.status).toBe(200);
    expect(healing.body.data.modules.map((m) => m.name)).toEqual(['web']);

    // Host 1 is the console itself: its own state, live, with no module configured.
    const local = await section<Listed>(port, 1, 'modules', viewerToken);
    expect(local.status).toBe(200);
    expect(local.body).toMatchObject({ hostId: 1, live: true, data: [] });
  });

  it('asks who is calling, as the local routes do, and answers bad input with 4xx', { timeout: 30_000 }, async () => {
    const port = consoleProcess!.port;
    expect((await section(port, hostId, 'modules', null)).status).toBe(401);
    expect((await section(port, 'abc', 'modules')).status).toBe(400);
    const unknown = await section(port, 9999, 'modules');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: { code: 'host_not_found' } });
    expect((await section(port, hostId, 'passwords')).status).toBe(404);
  });

  it(
    'answers 502 for a malformed or oversized view from a hostile agent, 503 when its answer breaks the connection, and stays up',
    { timeout: 60_000 },
    async () => {
      const port = consoleProcess!.port;
      let answer: unknown = { ok: true, data: [{ name: 'not a module view' }] };
      hostile!.socket.on(FLEET_QUERY_EVENT, (_raw: unknown, ack: (answer: unknown) => void) => ack(answer));
      const malformed = await section(port, hostile!.hostId, 'modules');
      expect(malformed.status).toBe(502);
      expect(malformed.body).toMatchObject({ error: { code: 'host_answer_invalid' } });

      answer = { ok: true, data: Array.from({ length: 7_000 }, (_, i) => ({ padding: 'x'.repeat(100), i })) };
      const oversized = await section(port, hostile!.hostId, 'modules');
      expect(oversized.status).toBe(502);
      expect(oversized.body).toMatchObject({ error: { code: 'host_answer_invalid', message: expect.stringContaining('bytes') } });

      // Beyond socket.io's message limit: the console drops the connection, and has nothing kept to show.
      answer = { ok: true, data: 'x'.repeat(3_000_000) };
      const huge = await section(port, hostile!.hostId, 'threats');
      expect(huge.status).toBe(503);
      expect(huge.body).toMatchObject({ error: { code: 'host_unreachable' } });
      expect(huge.headers.get('retry-after')).toBe('5');

      expect((await api(port, '/api/v1/hosts', { token: TEST_API_TOKEN })).status).toBe(200);
      expect((await section(port, hostId, 'modules')).status).toBe(200);
    },
  );

  it('serves the last answer with its time while the agent is away, and 503 with Retry-After for a view never received', { timeout: 60_000 }, async () => {
    const port = consoleProcess!.port;
    const before = await section<Listed>(port, hostId, 'modules');
    expect(before.body.live).toBe(true);
    await stopProcess(agent);
    agent = null;
    await waitForHost(port, 'edge1', (h) => !h.connected, 'disconnected');

    const kept = await section<Listed>(port, hostId, 'modules');
    expect(kept.status).toBe(200);
    expect(kept.body).toMatchObject({ live: false, asOf: before.body.asOf, data: before.body.data });
    const never = await section(port, hostId, 'threats');
    expect(never.status).toBe(503);
    expect(never.body).toMatchObject({ error: { code: 'host_unreachable' } });
    expect(never.headers.get('retry-after')).toBe('5');
  });

  it('an agent answers only queries the console signed, for itself, in time, once', { timeout: 120_000 }, async () => {
    // The console's key, copied: the genuine query; a key of the impostor's own for the forged one.
    const consoleKey: KeyObject = loadCheckpointKey(path.join(consoleProcess!.dataDir, 'fleet', 'console.key'), { create: false })!.privateKey;
    const forger = generateKeyPairSync('ed25519').privateKey;
    const port = consoleProcess!.port;
    await stopProcess(consoleProcess);
    consoleProcess = null;
    impostor = await ImpostorConsole.listen(port, consoleKey);
    agent = await startAgentProcess({ dataDir: tmp.join('edge1'), consolePort: port, name: 'edge1' });
    const socket = await waitFor(() => impostor!.agent ?? undefined, { timeoutMs: 60_000, what: 'the agent to say hello' });

    const ask = (payload: unknown) => socket.timeout(10_000).emitWithAck(FLEET_QUERY_EVENT, payload) as Promise<FleetQueryAnswer>;
    const query = (overrides: Partial<FleetQuery> = {}): FleetQuery => ({
      nonce: newNonce(),
      hostId,
      section: 'modules',
      issuedAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 5_000).toISOString(),
      ...overrides,
    });
    const unsigned = query();
    expect(await ask({ query: unsigned, signature: '' })).toEqual({ ok: false, error: 'refused: not signed by the enrolled console' });
    const forged = query();
    expect(await ask({ query: forged, signature: signQuery(forger, forged) })).toEqual({ ok: false, error: 'refused: not signed by the enrolled console' });
    const elsewhere = query({ hostId: hostId + 100 });
    expect(await ask({ query: elsewhere, signature: signQuery(consoleKey, elsewhere) })).toMatchObject({
      ok: false,
      error: expect.stringContaining('addressed to host'),
    });
    const expired = query({ expiresAt: new Date(Date.now() - 1000).toISOString() });
    expect(await ask({ query: expired, signature: signQuery(consoleKey, expired) })).toEqual({ ok: false, error: 'refused: expired' });
    expect(await ask({ nonsense: true })).toEqual({ ok: false, error: 'refused: malformed' });

    const genuine = query();
    const answered = await ask({ query: genuine, signature: signQuery(consoleKey, genuine) });
    expect(answered).toMatchObject({ ok: true, data: [expect.objectContaining({ name: 'web' })] });
    expect(await ask({ query: genuine, signature: signQuery(consoleKey, genuine) })).toEqual({ ok: false, error: 'refused: replayed' });
  });
});
