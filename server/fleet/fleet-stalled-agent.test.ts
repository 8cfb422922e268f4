import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertFleetIsolation } from '../queries/hosts';
import { startTestWorker, waitFor, type TestWorker } from '../test-support';
import { createEnrollment } from '../test-support/fleet';
import { ProtocolAgent } from '../test-support/fleet-protocol-agent';
import { MAX_QUEUED_PACKETS_PER_AGENT } from './fleet-hub';

const isolate = (i: number) => ({
  kind: 'isolate' as const,
  source: `198.18.${Math.floor(i / 250) % 250}.${(i % 250) + 1}`,
  reason: 'stall test',
  actor: 'user:admin',
  until: null,
});

describe('commands for an agent that stops reading', () => {
  let worker: TestWorker;
  let token: string;
  const agents: ProtocolAgent[] = [];

  beforeAll(async () => {
    worker = await startTestWorker();
    token = await createEnrollment(worker.port, { labels: {}, uses: 3, expiresInMinutes: 10 });
  }, 60_000);

  afterAll(async () => {
    for (const agent of agents) agent.close();
    await worker.destroy();
  });

  it('are queued only up to a bound: then the connection is cut, and what was not delivered waits for the next hello', { timeout: 120_000 }, async () => {
    const hub = worker.worker.fleet.hub;
    const stalled = await ProtocolAgent.enroll(worker.port, token, 'stalled');
    agents.push(stalled);
    stalled.stopReading();
    // Far more than the kernel's buffers and the bound hold together: without the bound, all of it would be in the console's memory.
    let accepted = 0;
    for (let i = 0; i < 200_000 && hub.sendAction(stalled.hostId, isolate(i)); i++) {
      accepted++;
      if (i % 50 === 0) await nextTurn();
    }
    expect(accepted).toBeLessThan(200_000);
    expect(hub.connectedHostIds()).not.toContain(stalled.hostId);
    expect(hub.sendAction(stalled.hostId, isolate(0))).toBe(false);
    // A reader that keeps up receives every one of as many commands, and stays connected.
    const reader = await ProtocolAgent.enroll(worker.port, token, 'reader');
    agents.push(reader);
    for (let i = 0; i < accepted; i++) {
      expect(hub.sendAction(reader.hostId, isolate(i))).toBe(true);
      if (i % 50 === 0) await nextTurn();
    }
    await waitFor(() => reader.commands.length >= accepted || undefined, { timeoutMs: 60_000, what: `${accepted} commands to reach the reader` });
    expect(hub.connectedHostIds()).toContain(reader.hostId);
  });

  it('does not cut a healthy agent that says hello while more fleet-wide isolations are in force than the bound', { timeout: 120_000 }, async () => {
    const inForce = MAX_QUEUED_PACKETS_PER_AGENT + 200;
    for (let i = 0; i < inForce; i++)
      await insertFleetIsolation(worker.worker.database.prisma, { source: isolate(i).source, reason: 'in force', actor: 'user:admin', expiresAt: null });
    const late = await ProtocolAgent.enroll(worker.port, token, 'late');
    agents.push(late);
    await waitFor(() => late.commands.length >= inForce || undefined, { timeoutMs: 60_000, what: `the ${inForce} isolations in force to reach the new agent` });
    expect(late.socket.connected).toBe(true);
    expect(worker.worker.fleet.hub.connectedHostIds()).toContain(late.hostId);
  });
});
