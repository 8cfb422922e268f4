import type { KeyObject } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FLEET_EVENTS, FLEET_NAMESPACE, type FleetChallenge, type FleetCommand, type SignedFleetCommand } from '@/lib/fleet/fleet-api';
import type { FleetActionRequest } from '@/lib/fleet/fleet-actions';
import type { DatabaseProvider } from '../db/database-url';
import { readRecentAuditEvents } from '../queries/audit-recent';
import { LOCAL_HOST_ID } from '../queries/hosts';
import { createAuditedDatabase, waitFor, type AuditedDatabase } from '../test-support';
import { startInProcessHub } from '../test-support/in-process-hub';
import { capturingLogger } from '../test-support/log';
import { FleetCommandResender, RESEND_AFTER_MS } from './fleet-command-resend';
import { FleetCommander } from './fleet-commander';
import { signHello } from './fleet-signing';

const PORTS = { a: 47933, b: 47934 };
const RESENT = 'sent a fleet command again: the host has not answered it';
const lockdown: FleetActionRequest = { kind: 'lockdown', reason: 'resend drill' };

/**
 * A host's agent as the console sees it: it answers every command it receives at once (accepted,
 * then succeeded), except the first `lose` ones, which never reach it, as over a connection that
 * was replaced without a hello the console saw afterwards.
 */
function lossyAgent(port: number, hostId: number, key: KeyObject, lose: number) {
  const socket: Socket = io(`http://127.0.0.1:${port}${FLEET_NAMESPACE}`, { transports: ['websocket'], reconnection: false, forceNew: true });
  const deliveries: Array<{ atMs: number; command: FleetCommand }> = [];
  socket.on(FLEET_EVENTS.challenge, ({ nonce }: FleetChallenge) => socket.emit(FLEET_EVENTS.hello, { hostId, signature: signHello(key, nonce, hostId) }));
  socket.on(FLEET_EVENTS.command, ({ command }: SignedFleetCommand) => {
    deliveries.push({ atMs: Date.now(), command });
    if (deliveries.length <= lose) return;
    const { nonce, action } = command;
    for (const status of ['accepted', 'succeeded'] as const)
      socket.emit(FLEET_EVENTS.commandResult, { nonce, ok: true, commandId: action.commandId, status, message: `${action.kind} ${status}` });
  });
  const welcomed = new Promise<void>((resolve) => socket.once(FLEET_EVENTS.welcome, () => resolve()));
  return { socket, deliveries, welcomed };
}

/** A console replica: its hub on a real socket.io server, its commander, its resender, and what it logged. */
async function startReplica(audited: AuditedDatabase, port: number, nodeId?: string) {
  const fleet = await startInProcessHub({ audited, port, nodeId });
  const { log, lines } = capturingLogger();
  const { database } = audited.db;
  const commander = new FleetCommander({
    database,
    audit: audited.audit,
    log,
    live: { emitFleetCommand: () => undefined },
    hub: fleet.hub,
    localServices: () => null,
  });
  fleet.hub.onAgents({ connected: (hostId) => commander.hostConnected(hostId), result: (hostId, raw) => commander.recordResult(hostId, raw) });
  const resender = new FleetCommandResender({ database, log, hub: fleet.hub });
  resender.start();
  return {
    fleet,
    commander,
    resender,
    resentLines: () => lines.filter((line) => line.msg === RESENT),
    async close() {
      await resender.stop();
      await fleet.close();
    },
  };
}

type Replica = Awaited<ReturnType<typeof startReplica>>;

describe.each(['sqlite', 'postgresql'] as const)('durable commands a connected host did not answer (%s)', (provider: DatabaseProvider) => {
  let audited: AuditedDatabase;
  let replicas: Replica[];
  const sockets: Socket[] = [];

  beforeEach(async () => {
    audited = await createAuditedDatabase(provider);
    replicas = [];
  });

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.close();
    // Every goodbye written before the database goes: a write cut off by the close would hold its connection open.
    await waitFor(
      async () => ((await audited.db.database.prisma.host.count({ where: { id: { not: LOCAL_HOST_ID }, connected: true } })) === 0 ? true : undefined),
      { what: 'every host recorded gone' },
    );
    for (const replica of replicas) await replica.close();
    await audited.destroy();
  });

  async function connectedAgent(replica: Replica, port: number, name: string, lose: number) {
    const { hostId, key } = await replica.fleet.enroll(name);
    const agent = lossyAgent(port, hostId, key, lose);
    sockets.push(agent.socket);
    await agent.welcomed;
    await waitFor(() => replica.fleet.hub.connectedHostIds().includes(hostId) || undefined, { what: `host ${name} admitted` });
    return { hostId, ...agent };
  }

  const row = (commandId: string, hostId: number) =>
    audited.db.database.prisma.fleetCommandHost.findUniqueOrThrow({ where: { commandId_hostId: { commandId, hostId } } });

  const settled = (commandId: string, hostId: number) =>
    waitFor(async () => ((await row(commandId, hostId)).status === 'succeeded' ? true : undefined), {
      timeoutMs: RESEND_AFTER_MS + 20_000,
      what: `command ${commandId} to succeed on host ${hostId}`,
    });

  async function acceptances(commandId: string): Promise<number> {
    await audited.audit.flush();
    const results = await readRecentAuditEvents(audited.db.database, { types: ['fleet.command_result'], take: 100 });
    return results.filter((event) => event.details?.commandId === commandId && event.details?.status === 'accepted').length;
  }

  it('sends a command whose first delivery was lost again after the quiet bound, once, and the host answers it', { timeout: 60_000 }, async () => {
    const replica = await startReplica(audited, PORTS.a);
    replicas.push(replica);
    const agent = await connectedAgent(replica, PORTS.a, 'edge', 1);

    const issued = await replica.commander.issue({ target: { hostId: agent.hostId }, action: lockdown }, { actor: 'user:admin', role: 'admin' });
    await settled(issued.id, agent.hostId);

    expect(agent.deliveries.map((delivery) => delivery.command.action.commandId)).toEqual([issued.id, issued.id]);
    expect(agent.deliveries[1]!.command.nonce).not.toBe(agent.deliveries[0]!.command.nonce);
    // Not before the host had its time to answer: the row is stamped just before the first delivery.
    expect(agent.deliveries[1]!.atMs - agent.deliveries[0]!.atMs).toBeGreaterThan(RESEND_AFTER_MS - 500);
    expect(await acceptances(issued.id)).toBe(1);
    expect(replica.resentLines()).toMatchObject([{ level: 30, commandId: issued.id, hostId: agent.hostId, kind: 'lockdown', resends: 1 }]);
    // Answered for good: out of the resend's reach however late it looks.
    expect((await row(issued.id, agent.hostId)).resendAt).toBeNull();
    expect(await replica.resender.tick(new Date(Date.now() + 3_600_000))).toBe(0);
    expect(agent.deliveries).toHaveLength(2);
  });

  it('never sends again a command answered in time, while one left unanswered goes again with a growing wait', { timeout: 60_000 }, async () => {
    const replica = await startReplica(audited, PORTS.a);
    replicas.push(replica);
    const prompt = await connectedAgent(replica, PORTS.a, 'prompt', 0);
    const silent = await connectedAgent(replica, PORTS.a, 'silent', Infinity);
    const answered = await replica.commander.issue({ target: { hostId: prompt.hostId }, action: lockdown }, { actor: 'user:admin', role: 'admin' });
    const unanswered = await replica.commander.issue({ target: { hostId: silent.hostId }, action: lockdown }, { actor: 'user:admin', role: 'admin' });
    await settled(answered.id, prompt.hostId);

    // The silent host's resend is the proof that the bound passed with the resender running.
    const afterFirst = await waitFor(
      async () => {
        const resent = await row(unanswered.id, silent.hostId);
        return resent.resends === 1 ? resent : undefined;
      },
      { timeoutMs: RESEND_AFTER_MS + 20_000, what: 'the unanswered command due again' },
    );
    await waitFor(() => silent.deliveries.length >= 2 || undefined, { what: 'the unanswered command sent again' });
    expect(prompt.deliveries).toHaveLength(1);
    expect(afterFirst.status).toBe('sent');
    expect(afterFirst.resendAt!.getTime() - afterFirst.updatedAt.getTime()).toBeGreaterThanOrEqual(2 * RESEND_AFTER_MS);

    // An hour on, only the unanswered one goes again; a day on, it has expired and goes nowhere.
    expect(await replica.resender.tick(new Date(Date.now() + 3_600_000))).toBe(1);
    await waitFor(() => silent.deliveries.length >= 3 || undefined, { what: 'the second resend delivered' });
    expect(prompt.deliveries).toHaveLength(1);
    expect(await replica.resender.tick(new Date(Date.now() + 25 * 3_600_000))).toBe(0);
    expect((await row(unanswered.id, silent.hostId)).resendAt).toBeNull();
    expect(prompt.deliveries).toHaveLength(1);
  });

  it.runIf(provider === 'postgresql')(
    'is sent again by the replica holding the host when the delivery through another replica was lost',
    { timeout: 60_000 },
    async () => {
      const holder = await startReplica(audited, PORTS.a, 'replica-a');
      const other = await startReplica(audited, PORTS.b, 'replica-b');
      replicas.push(holder, other);
      const agent = await connectedAgent(holder, PORTS.a, 'edge', 0);

      // Issued on the replica that does not hold the host: its message over the bus goes nowhere here.
      const issued = await other.commander.issue({ target: { hostId: agent.hostId }, action: lockdown }, { actor: 'user:admin', role: 'admin' });
      expect(issued.hosts).toMatchObject([{ id: agent.hostId, status: 'sent' }]);
      await settled(issued.id, agent.hostId);

      expect(agent.deliveries).toHaveLength(1);
      expect(holder.resentLines()).toMatchObject([{ commandId: issued.id, hostId: agent.hostId }]);
      expect(other.resentLines()).toEqual([]);
      expect(await acceptances(issued.id)).toBe(1);
    },
  );
});
