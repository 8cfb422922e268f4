import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VANTAGE_EVENTS, type VantageAssignment, type VantageResult } from '@/lib/fleet/vantage-api';
import type { ModuleView } from '@/lib/healing/module-view';
import { api, makeTempDir, TEST_API_TOKEN, waitFor, type TempDir } from '../test-support';
import { createEnrollment, startConsoleProcess, stopProcess, type FleetProcess } from '../test-support/fleet';
import { ProtocolAgent } from '../test-support/fleet-protocol-agent';
import { signVantageResult } from './vantage-signing';

interface RefusalAnswer {
  events: Array<{ reason: string; resource: string; details: { module?: string } | null }>;
}

describe('answers a console refuses from an agent that is not what it should be', () => {
  let tmp: TempDir;
  let consoleProcess: FleetProcess;
  let intruder: ProtocolAgent;
  let target: Server;
  const assignments: VantageAssignment[] = [];

  const moduleView = async (name: string) => (await api<ModuleView>(consoleProcess.port, `/api/v1/modules/${name}`, { token: TEST_API_TOKEN })).body;
  const result = (module: string, status: VantageResult['status']): VantageResult => ({
    hostId: intruder.hostId,
    module,
    at: Date.now(),
    status,
    latencyMs: null,
    error: status === 'down' ? 'connection refused' : null,
    kind: status === 'down' ? 'connection_refused' : null,
  });
  const refusal = (reason: string) =>
    waitFor(
      async () =>
        (await api<RefusalAnswer>(consoleProcess.port, '/api/v1/audit?type=fleet.vantage_result_refused', { token: TEST_API_TOKEN })).body.events.find(
          (event) => event.reason === reason && event.resource === `host:${intruder.hostId}`,
        ),
      { what: `a refusal: ${reason}` },
    );

  beforeAll(async () => {
    tmp = makeTempDir('vigil-vantage-refusals-');
    target = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    consoleProcess = await startConsoleProcess({ dataDir: tmp.path });
    const token = await createEnrollment(consoleProcess.port, { labels: { role: 'probe' }, uses: 1, expiresInMinutes: 10 });
    intruder = await ProtocolAgent.enroll(consoleProcess.port, token, 'intruder');
    intruder.socket.on(VANTAGE_EVENTS.assign, ({ assignment }: { assignment: VantageAssignment }) => assignments.push(assignment));
    const port = (target.address() as AddressInfo).port;
    const common = { intervalSeconds: 1, timeoutSeconds: 1, failureThreshold: 1 };
    for (const definition of [
      // Probed by the intruder alone.
      { ...common, name: 'api', kind: 'tcp', host: '127.0.0.1', port, vantage: { hosts: ['intruder'], quorum: 1 } },
      // Probed by the console alone: the intruder has no say in it.
      { ...common, name: 'shop', kind: 'tcp', host: '127.0.0.1', port, vantage: { includeConsole: true, quorum: 1 } },
    ]) {
      const registered = await api(consoleProcess.port, '/api/v1/modules', { token: TEST_API_TOKEN, json: definition });
      expect(registered.status, registered.text).toBe(201);
    }
    await waitFor(() => assignments.find((assignment) => assignment.modules.length > 0), { what: "the intruder's assignment" });
  }, 120_000);

  afterAll(async () => {
    intruder?.close();
    await stopProcess(consoleProcess);
    await new Promise((resolve) => target?.close(resolve));
    tmp?.remove();
  });

  it('assigns an agent only the modules that select it', () => {
    expect(assignments.at(-1)?.modules.map((module) => module.name)).toEqual(['api']);
    expect(assignments.at(-1)?.hostId).toBe(intruder.hostId);
  });

  it('ignores a signed answer for a module the agent was not asked to probe', { timeout: 60_000 }, async () => {
    await waitFor(async () => (await moduleView('shop')).state === 'up' || undefined, { what: 'shop to be up from the console' });
    const down = result('shop', 'down');
    intruder.socket.emit(VANTAGE_EVENTS.result, { result: down, signature: signVantageResult(intruder.key, down) });
    const refused = await refusal('a module this host was not asked to probe');
    expect(refused.details?.module).toBe('shop');
    const view = await moduleView('shop');
    expect(view.state).toBe('up');
    expect(view.vantage?.points.map((point) => point.name)).toEqual(['console']);
  });

  it('refuses an answer with a forged signature and counts only what the agent signed', { timeout: 60_000 }, async () => {
    const forger = generateKeyPairSync('ed25519').privateKey;
    const forged = result('api', 'down');
    intruder.socket.emit(VANTAGE_EVENTS.result, { result: forged, signature: signVantageResult(forger, forged) });
    await refusal('not signed by the enrolled agent');
    // A verdict taken after the refusal: the intruder is its one vantage point, and has no vote.
    const refusedAt = Date.now();
    const unmoved = await waitFor(
      async () => {
        const view = await moduleView('api');
        return view.vantage && Date.parse(view.vantage.decidedAt) > refusedAt ? view : undefined;
      },
      { what: 'a verdict on api after the refusal' },
    );
    expect(unmoved.state).not.toBe('down');
    expect(unmoved.vantage?.points).toMatchObject([{ name: 'intruder', status: 'unknown' }]);
    // The same answer signed with the enrolled key is counted: with a quorum of 1, that is an outage.
    const sending = setInterval(() => {
      const signed = result('api', 'down');
      intruder.socket.emit(VANTAGE_EVENTS.result, { result: signed, signature: signVantageResult(intruder.key, signed) });
    }, 200);
    try {
      await waitFor(async () => (await moduleView('api')).state === 'down' || undefined, { what: 'api down from its one vantage point' });
    } finally {
      clearInterval(sending);
    }
  });
});
