import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLEET_CONFIG_EVENTS, type FleetConfigAssignmentView, type FleetConfigHostView, type FleetConfigPush } from '@/lib/fleet/fleet-config-api';
import { loadCheckpointKey } from '../audit/checkpoint-key';
import { api, makeTempDir, TEST_API_TOKEN, waitFor, type TempDir } from '../test-support';
import { createEnrollment, startAgentProcess, startConsoleProcess, stopProcess, waitForHost, type FleetProcess } from '../test-support/fleet';
import { ImpostorConsole } from '../test-support/fleet-impostor';
import { startStubHttpServer, type StubHttpServer } from '../test-support/stub-http-server';
import { pushedConfigFile } from './fleet-config-agent';
import { newNonce, signConfigPush } from './fleet-signing';

type AgentName = 'web1' | 'db1';

const moduleNames = async (worker: FleetProcess) => {
  const answer = await api<Array<{ name: string }>>(worker.port, '/api/v1/modules', { token: TEST_API_TOKEN });
  return answer.status === 200 ? answer.body.map((module) => module.name).sort() : null;
};

const runsExactly = (worker: FleetProcess, names: string[], what: string) =>
  waitFor(async () => JSON.stringify(await moduleNames(worker)) === JSON.stringify([...names].sort()), { timeoutMs: 30_000, what });

async function auditReasons(worker: FleetProcess, type: string): Promise<string[]> {
  const answer = await api<{ events: Array<{ reason: string | null }> }>(worker.port, `/api/v1/audit?type=${type}&limit=200`, { token: TEST_API_TOKEN });
  expect(answer.status).toBe(200);
  return answer.body.events.map((event) => event.reason ?? '');
}

describe('configuration from the console: assigned per label or host, versioned, pushed signed, applied all or nothing', () => {
  let tmp: TempDir;
  let consoleProcess: FleetProcess | null = null;
  let impostor: ImpostorConsole | null = null;
  let services: StubHttpServer;
  const agents: Record<AgentName, FleetProcess | null> = { web1: null, db1: null };
  const hostIds = {} as Record<AgentName, number>;
  let webAssignment: FleetConfigAssignmentView;
  let consolePort: number;

  const tcp = (name: string) => ({ name, kind: 'tcp', host: '127.0.0.1', port: services.port, intervalSeconds: 30 });
  const save = (body: unknown) =>
    api<FleetConfigAssignmentView>(consoleProcess!.port, '/api/v1/fleet/config/assignments', { token: TEST_API_TOKEN, json: body });
  const hostView = async (name: AgentName) => {
    const answer = await api<FleetConfigHostView[]>(consoleProcess!.port, '/api/v1/fleet/config/hosts', { token: TEST_API_TOKEN });
    expect(answer.status).toBe(200);
    return answer.body.find((host) => host.hostId === hostIds[name])!;
  };

  beforeAll(async () => {
    tmp = makeTempDir('vigil-fleet-config-');
    services = await startStubHttpServer((_request, res) => res.writeHead(200).end('ok'));
    consoleProcess = await startConsoleProcess({ dataDir: tmp.join('console') });
    const web = await createEnrollment(consoleProcess.port, { labels: { role: 'web' }, uses: 1, expiresInMinutes: 10 });
    const db = await createEnrollment(consoleProcess.port, { labels: { role: 'db' }, uses: 1, expiresInMinutes: 10 });
    consolePort = consoleProcess.port;
    // Each agent's own file watches a module of its own: an assignment replaces that list whole.
    for (const name of ['web1', 'db1'] as const) {
      mkdirSync(tmp.join(name), { recursive: true });
      writeFileSync(
        path.join(tmp.join(name), 'vigil.config.yaml'),
        `modules:\n  - { name: ${name}-own, kind: tcp, host: 127.0.0.1, port: ${services.port}, intervalSeconds: 30 }\n`,
      );
    }
    [agents.web1, agents.db1] = await Promise.all([
      startAgentProcess({ dataDir: tmp.join('web1'), consolePort, token: web, name: 'web1' }),
      startAgentProcess({ dataDir: tmp.join('db1'), consolePort, token: db, name: 'db1' }),
    ]);
    for (const name of ['web1', 'db1'] as const) hostIds[name] = (await waitForHost(consolePort, name, (h) => h.connected, 'connected')).id;
  }, 180_000);

  afterAll(async () => {
    await impostor?.close();
    await Promise.all([consoleProcess, ...Object.values(agents)].map((process) => stopProcess(process)));
    await services?.close();
    tmp?.remove();
  });

  it('runs modules assigned to role=web on the web agent only, and shows the revision it applied', { timeout: 90_000 }, async () => {
    const answer = await save({ target: { labels: { role: 'web' } }, content: { modules: [tcp('shop-a')] }, reason: 'the shop runs on web hosts' });
    expect(answer.status).toBe(201);
    webAssignment = answer.body;
    await runsExactly(agents.web1!, ['shop-a'], 'web1 to run the assigned module');
    expect(await moduleNames(agents.db1!)).toEqual(['db1-own']);
    await waitFor(async () => (await hostView('web1')).state === 'applied', { what: 'web1 to be shown as applied' });
    expect(await hostView('web1')).toMatchObject({ assignedRevision: webAssignment.current.revision, appliedRevision: webAssignment.current.revision });
    expect(await hostView('db1')).toMatchObject({ state: 'none', assignedRevision: 0 });
    // Kept for the next start, readable by the agent's user only.
    expect(statSync(pushedConfigFile(agents.web1!.dataDir)).mode & 0o777).toBe(0o600);
  });

  it('saves version 2, then rolls back to version 1 as version 3', { timeout: 90_000 }, async () => {
    expect((await save({ target: { labels: { role: 'web' } }, content: { modules: [tcp('shop-b')] }, reason: 'move the shop to b' })).status).toBe(201);
    await runsExactly(agents.web1!, ['shop-b'], 'web1 to run version 2');
    const rolled = await api<FleetConfigAssignmentView>(consoleProcess!.port, `/api/v1/fleet/config/assignments/${webAssignment.id}/rollback`, {
      token: TEST_API_TOKEN,
      json: { version: 1, reason: 'b was a mistake' },
    });
    expect(rolled.status).toBe(201);
    expect(rolled.body.current).toMatchObject({ version: 3, restoredVersion: 1 });
    await runsExactly(agents.web1!, ['shop-a'], 'web1 to run version 1 again');
    const versions = await api<Array<{ version: number; reason: string; actor: string }>>(
      consoleProcess!.port,
      `/api/v1/fleet/config/assignments/${webAssignment.id}/versions`,
      { token: TEST_API_TOKEN },
    );
    expect(versions.body.map((version) => [version.version, version.reason])).toEqual([
      [3, 'b was a mistake'],
      [2, 'move the shop to b'],
      [1, 'the shop runs on web hosts'],
    ]);
    await waitFor(async () => (await hostView('web1')).appliedRevision === rolled.body.current.revision, { what: 'web1 to apply the rollback' });
  });

  it('refuses an invalid assignment with the field named, and saves nothing', { timeout: 30_000 }, async () => {
    const badPath = await save({ target: { labels: { role: 'web' } }, content: { integrityPaths: [{ path: '/proc/self' }] }, reason: 'watch the kernel' });
    expect(badPath.status).toBe(422);
    expect(badPath.text).toContain('content.integrityPaths.0.path');
    const badModule = await save({ target: { hostId: hostIds.db1 }, content: { modules: [{ ...tcp('db'), port: 70_000 }] }, reason: 'bad port' });
    expect(badModule.status).toBe(422);
    expect(badModule.text).toContain('content.modules.0');
    const unknownHost = await save({ target: { hostId: 9999 }, content: {}, reason: 'nobody' });
    expect(unknownHost.status).toBe(404);
    const versions = await api<unknown[]>(consoleProcess!.port, `/api/v1/fleet/config/assignments/${webAssignment.id}/versions`, { token: TEST_API_TOKEN });
    expect(versions.body).toHaveLength(3);
  });

  it('shows a push the agent refuses as rejected with its reason, and the agent keeps its modules', { timeout: 60_000 }, async () => {
    const inside = path.join(agents.web1!.dataDir, 'fleet');
    const answer = await save({
      target: { hostId: hostIds.web1 },
      content: { modules: [tcp('shop-c')], integrityPaths: [{ path: inside }] },
      reason: 'valid on the console, not on web1',
    });
    expect(answer.status).toBe(201);
    const view = await waitFor(
      async () => {
        const host = await hostView('web1');
        return host.state === 'rejected' ? host : undefined;
      },
      { what: 'web1 to refuse the push' },
    );
    expect(view.reason).toContain("this agent's data directory");
    expect(await moduleNames(agents.web1!)).toEqual(['shop-a']);
  });

  it('runs the pushed configuration after a restart while the console is down', { timeout: 120_000 }, async () => {
    await stopProcess(consoleProcess);
    consoleProcess = null;
    await stopProcess(agents.web1);
    agents.web1 = await startAgentProcess({ dataDir: tmp.join('web1'), consolePort, name: 'web1' });
    await runsExactly(agents.web1, ['shop-a'], 'web1 to run the last applied push without the console');
  });

  it('refuses forged, replayed and older pushes, and says nothing back to their sender', { timeout: 90_000 }, async () => {
    // A man in the middle on the console's address, holding a stolen copy of the console's key for genuine and replayed pushes.
    const consoleKey: KeyObject = loadCheckpointKey(path.join(tmp.join('console'), 'fleet', 'console.key'), { create: false })!.privateKey;
    impostor = await ImpostorConsole.listen(consolePort, consoleKey);
    // web1's own connection: db1 reconnects to the same address too, at a moment of its own.
    const web1 = () => impostor!.agents.get(hostIds.web1);
    await waitFor(web1, { timeoutMs: 60_000, what: 'web1 to reconnect to whoever answers' });
    // Sent on web1's newest connection: an agent that reconnects says hello again on a new one.
    const send = (signed: unknown) => web1()!.emit(FLEET_CONFIG_EVENTS.push, signed);
    const pushFor = (revision: number, name: string): FleetConfigPush => ({
      nonce: newNonce(),
      hostId: hostIds.web1,
      issuedAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
      revision,
      content: { modules: [tcp(name)] },
    });

    const forged = pushFor(1000, 'forged');
    const forgedSigned = { push: forged, signature: signConfigPush(generateKeyPairSync('ed25519').privateKey, forged) };
    // Sent again only over a new connection (the one it went over may have dropped): sent at every
    // poll, the refusals the agent records one by one would queue ahead of the genuine push below.
    let forgedOn: unknown = null;
    await waitFor(
      async () => {
        if (forgedOn !== web1()) {
          forgedOn = web1();
          send(forgedSigned);
        }
        return (await auditReasons(agents.web1!, 'fleet.config_rejected')).includes('not signed by the enrolled console');
      },
      { what: 'web1 to refuse the forged push' },
    );

    const genuine = pushFor(1001, 'shop-genuine');
    const signed = { push: genuine, signature: signConfigPush(consoleKey, genuine) };
    send(signed);
    await runsExactly(agents.web1!, ['shop-genuine'], 'web1 to apply a push signed with the console key').catch((error: Error) => {
      // What the agent answered and logged is what tells a lost push from a refused or failed one.
      const agentLog = `${agents.web1!.running.stdout()}${agents.web1!.running.stderr()}`.slice(-4000);
      throw new Error(`${error.message}; hellos ${impostor!.hellos.length}, answers ${JSON.stringify(impostor!.configAcks)}; agent's log: ${agentLog}`);
    });
    send(signed);
    const older = pushFor(5, 'older');
    send({ push: older, signature: signConfigPush(consoleKey, older) });
    await waitFor(
      async () => {
        const reasons = await auditReasons(agents.web1!, 'fleet.config_rejected');
        return reasons.includes('replayed') && reasons.includes('revision 5 is older than the applied 1001');
      },
      { what: 'web1 to refuse the replayed and the older push' },
    );
    expect(await moduleNames(agents.web1!)).toEqual(['shop-genuine']);
    // Only the genuine push was answered.
    expect(impostor!.configAcks).toEqual([{ revision: 1001, ok: true }]);
  });
});
