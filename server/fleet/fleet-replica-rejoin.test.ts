import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FLEET_EVENTS } from '@/lib/fleet/fleet-api';
import { readRecentAuditEvents } from '../queries/audit-recent';
import { createAuditedDatabase, silentLogger, waitFor, type AuditedDatabase } from '../test-support';
import { ProtocolAgent } from '../test-support/fleet-protocol-agent';
import { startInProcessHub, type InProcessHub } from '../test-support/in-process-hub';
import type { LeaderDuty } from '../ha/leader-duties';
import { sweepGoneReplicas, type GoneReplicaSweep } from './gone-replica-sweep';

const NODE = 'replica-b';
const PORT = 47931;

/**
 * A replica whose cluster-bus session was gone long enough for the leader to take it for dead,
 * though it and its agents lived on: the leader's sweep released its hosts. Once its bus is back it
 * takes them back, and so does each heartbeat of an agent it still holds. Real PostgreSQL, a real
 * socket.io connection on loopback; the leader's view of the cluster is the one thing set by hand.
 */
describe('a live replica taken for gone by the sweep', () => {
  let audited: AuditedDatabase;
  let fleet: InProcessHub;
  let sweep: GoneReplicaSweep;
  let duty: LeaderDuty | null = null;
  let agent: ProtocolAgent | null = null;
  let live: string[] = [];

  beforeEach(async () => {
    audited = await createAuditedDatabase('postgresql');
    fleet = await startInProcessHub({ audited, port: PORT, nodeId: NODE });
    live = [NODE];
    sweep = sweepGoneReplicas({
      cluster: { members: async () => live.map((node) => ({ node })) },
      duties: { add: (added) => void (duty = added) },
      database: audited.db.database,
      audit: audited.audit,
      log: silentLogger(),
      onHostChanged: () => undefined,
      goneAfterMs: 0,
      everyMs: 60_000,
    });
  });

  afterEach(async () => {
    agent?.close();
    await duty?.stop?.();
    await fleet.close();
    await audited.destroy();
  });

  async function connectAgent(): Promise<ProtocolAgent> {
    const { hostId, key } = await fleet.enroll('edge');
    return ProtocolAgent.connect(PORT, hostId, key);
  }

  const row = (id: number) => audited.db.database.prisma.host.findUniqueOrThrow({ where: { id } });

  /** The leader, not seeing this replica's bus session, releases its hosts. */
  async function sweptAway(hostId: number): Promise<void> {
    live = [];
    await sweep.sweep();
    expect(await row(hostId)).toMatchObject({ connected: false, connection: null });
    live = [NODE];
  }

  async function connectionEvents(hostId: number) {
    await audited.audit.flush();
    const events = await readRecentAuditEvents(audited.db.database, { types: ['fleet.agent_connected', 'fleet.agent_disconnected'], take: 50 });
    return events.filter((event) => event.resource === `host:${hostId}`).map((event) => event.type);
  }

  it('takes back its hosts when its bus rejoins, recording each connected again, and leaves a host another connection holds', async () => {
    agent = await connectAgent();
    const held = (await row(agent.hostId)).connection;
    expect(held).toMatch(new RegExp(`^${NODE}/`));
    await sweptAway(agent.hostId);

    expect(await fleet.hub.reclaimHeld('its console replica rejoined the cluster')).toEqual([agent.hostId]);
    expect(await row(agent.hostId)).toMatchObject({ connected: true, connection: held, disconnectedSince: null });
    expect(agent.socket.connected).toBe(true);
    expect(await connectionEvents(agent.hostId)).toEqual(['fleet.agent_connected', 'fleet.agent_disconnected', 'fleet.agent_connected']);
    // Said once: a second rejoin finds the row already its own.
    expect(await fleet.hub.reclaimHeld('its console replica rejoined the cluster')).toEqual([]);

    // Meanwhile the agent said hello on another replica: that replica's row is left alone.
    await audited.db.database.prisma.host.update({ where: { id: agent.hostId }, data: { connection: 'replica-c/elsewhere' } });
    expect(await fleet.hub.reclaimHeld('its console replica rejoined the cluster')).toEqual([]);
    expect((await row(agent.hostId)).connection).toBe('replica-c/elsewhere');
    // Its connection here ending is still recorded, and leaves the other's row as it is.
    const hostId = agent.hostId;
    agent.close();
    agent = null;
    await waitFor(async () => ((await connectionEvents(hostId)).length === 4 ? true : undefined), { timeoutMs: 15_000, what: 'the disconnect recorded' });
    expect(await connectionEvents(hostId)).toEqual(['fleet.agent_connected', 'fleet.agent_disconnected', 'fleet.agent_connected', 'fleet.agent_disconnected']);
    expect(await row(hostId)).toMatchObject({ connected: true, connection: 'replica-c/elsewhere' });
  });

  it("takes a host back at its agent's next heartbeat, so a disconnect can clear it again", async () => {
    agent = await connectAgent();
    const hostId = agent.hostId;
    await sweptAway(hostId);
    agent.socket.emit(FLEET_EVENTS.heartbeat, { healthScore: 91, degradation: 'NORMAL', defenseMode: 'NORMAL' });
    // Taken back, then the beat written: two writes, so wait for the second, not only the first.
    const back = await waitFor(
      async () => {
        const now = await row(hostId);
        return now.connection && now.healthScore === 91 ? now : undefined;
      },
      {
        timeoutMs: 15_000,
        what: 'the heartbeat to take the row back',
      },
    );
    expect(back).toMatchObject({ connected: true, healthScore: 91, disconnectedSince: null });
    // Its connection holds the row again, so the agent leaving is seen.
    agent.close();
    agent = null;
    await waitFor(async () => ((await row(hostId)).connected ? undefined : true), { timeoutMs: 15_000, what: 'the disconnect to clear the row' });
    expect(await connectionEvents(hostId)).toEqual(['fleet.agent_connected', 'fleet.agent_disconnected', 'fleet.agent_connected', 'fleet.agent_disconnected']);
  });
});
