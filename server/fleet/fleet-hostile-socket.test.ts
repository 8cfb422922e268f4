import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLEET_EVENTS } from '@/lib/fleet/fleet-api';
import { startTestWorker, waitFor, type TestWorker } from '../test-support';
import { createEnrollment, listHosts } from '../test-support/fleet';
import { fleetCommandView, sendFleetCommand } from '../test-support/fleet-commands';
import { ProtocolAgent } from '../test-support/fleet-protocol-agent';
import { MIN_HEARTBEAT_SPACING_MS } from './heartbeat-coalescer';

const beat = (healthScore: number) => ({ healthScore, degradation: 'NORMAL', defenseMode: 'NORMAL' });

describe('an enrolled agent abusing its socket', () => {
  let worker: TestWorker;
  let flooder: ProtocolAgent;
  let neighbour: ProtocolAgent;

  beforeAll(async () => {
    worker = await startTestWorker();
    const token = await createEnrollment(worker.port, { labels: {}, uses: 2, expiresInMinutes: 10 });
    flooder = await ProtocolAgent.enroll(worker.port, token, 'flooder');
    neighbour = await ProtocolAgent.enroll(worker.port, token, 'neighbour');
  }, 60_000);

  afterAll(async () => {
    flooder?.close();
    neighbour?.close();
    await worker?.destroy();
  });

  it('cannot turn a flood of heartbeats into as many database writes; the newest state still lands', async () => {
    const hub = worker.worker.fleet.hub;
    const before = hub.heartbeatsWritten();
    const started = Date.now();
    for (let i = 0; i < 5000; i++) flooder.socket.emit(FLEET_EVENTS.heartbeat, beat(i % 100));
    flooder.socket.emit(FLEET_EVENTS.heartbeat, beat(42));
    await waitFor(async () => (await listHosts(worker.port)).find((host) => host.id === flooder.hostId && host.healthScore === 42), {
      timeoutMs: 30_000,
      what: 'the last heartbeat to be recorded',
    });
    const written = hub.heartbeatsWritten() - before;
    expect(written).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / MIN_HEARTBEAT_SPACING_MS) + 1);
    expect(written).toBeLessThan(100);
  });

  it("cannot answer for another host's command", async () => {
    const issued = await sendFleetCommand(worker.port, {
      target: { hostId: neighbour.hostId },
      action: { kind: 'restart-module', module: 'web', reason: 'a restart for the neighbour' },
    });
    expect(issued.status).toBe(202);
    const commandId = issued.body.id;
    flooder.socket.emit(FLEET_EVENTS.commandResult, { nonce: null, ok: true, commandId, status: 'succeeded', message: 'done, says the flooder' });
    // The neighbour's own answer comes after the forged one on the console's side.
    neighbour.socket.emit(FLEET_EVENTS.commandResult, { nonce: null, ok: true, commandId, status: 'accepted', message: 'on it' });
    const view = await waitFor(
      async () => {
        const seen = await fleetCommandView(worker.port, commandId);
        return seen.hosts[0].status === 'accepted' ? seen : undefined;
      },
      { timeoutMs: 20_000, what: "the neighbour's answer" },
    );
    expect(view.hosts).toHaveLength(1);
    expect(view.hosts[0]).toMatchObject({ hostId: neighbour.hostId, status: 'accepted', message: 'on it' });
  });
});
