import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, makeTempDir, TEST_API_TOKEN, waitFor, type TempDir } from '../test-support';
import { listHosts } from '../test-support/fleet';
import { guardStatus, pollerIn, startNetnsFleet, type NetnsAgent, type NetnsFleet } from '../test-support/fleet-netns';
import { httpStatusesFrom } from '../test-support/netns';
import type { BridgedHost } from '../test-support/netns-bridge';

/** Guesses within 10 minutes that isolate a source, on one host or summed over the fleet. */
const GUESSES = 300;
/** What one agent isolates on by itself: lower than the fleet's, so the two paths can be told apart. */
const LOCAL_GUESSES = 200;
/** Per agent: below the local threshold; three of them are above the fleet's. */
const GUESSES_PER_AGENT = 110;
/**
 * The same scenarios on the console and the agents, as a fleet shares its config. Every guard
 * check counts as a request; a window of 10 minutes, so a test crossing the window's boundary
 * loses only a few counts to the sliding weight.
 */
const FLEET_CONFIG = `defense:
  scenarios:
    - { name: guesses, kinds: [request], capacity: ${GUESSES}, windowSeconds: 600, level: critical }
`;
const AGENT_CONFIG = FLEET_CONFIG.replace(`capacity: ${GUESSES}`, `capacity: ${LOCAL_GUESSES}`);

const statusesFrom = (client: BridgedHost, agent: NetnsAgent, count: number, whileStatus?: number) =>
  httpStatusesFrom(client, agent.guardUrl, { count, whileStatus });

/** Milliseconds from `since` until every agent's guard refuses a request from `client`. */
async function refusedEverywhereAfter(client: BridgedHost, agents: NetnsAgent[], since: number): Promise<number> {
  await Promise.all(
    agents.map((agent) =>
      waitFor(async () => (await statusesFrom(client, agent, 1))[0] === 403, {
        timeoutMs: 15_000,
        intervalMs: 10,
        what: `${agent.name} to refuse ${client.address}`,
      }),
    ),
  );
  return Date.now() - since;
}

describe('a fleet in network namespaces: a console, three agents, and clients with addresses of their own', () => {
  let tmp: TempDir;
  let fleet: NetnsFleet;

  beforeAll(async () => {
    tmp = makeTempDir('vigil-fleet-netns-');
    fleet = await startNetnsFleet({ dataDir: tmp.path, agents: ['edge1', 'edge2', 'edge3'], clients: 4, config: FLEET_CONFIG, agentConfig: AGENT_CONFIG });
  }, 180_000);

  afterAll(async () => {
    await fleet?.destroy();
    tmp?.remove();
  });

  it('gives every agent and client its own address, each agent connected to the console over its link', async () => {
    const addresses = [...fleet.agents.map((agent) => agent.host.address), ...fleet.clients.map((client) => client.address)];
    expect(new Set(addresses).size).toBe(7);
    expect(addresses.every((address) => address.startsWith('10.') && address !== fleet.network.address)).toBe(true);
    const hosts = await listHosts(fleet.console.port);
    expect(
      hosts
        .filter((host) => host.connected && host.name.startsWith('edge'))
        .map((host) => host.name)
        .sort(),
    ).toEqual(['edge1', 'edge2', 'edge3']);
    // A client reaches each agent's guard at the agent's own address, and is let through.
    for (const agent of fleet.agents) expect(await statusesFrom(fleet.clients[2], agent, 1)).toEqual([204]);
  });

  it(
    'counts one source across hosts: guesses below each local threshold isolate it on every guard within 1 s, a benign client stays allowed',
    { timeout: 120_000 },
    async () => {
      const [attacker, benign] = fleet.clients;
      for (const agent of fleet.agents) expect(await statusesFrom(benign, agent, 20)).toEqual(Array(20).fill(204));
      const [edge1, edge2, edge3] = fleet.agents;
      // Two hosts' worth: 220 in all, below the threshold for the fleet too.
      expect(await statusesFrom(attacker, edge1, GUESSES_PER_AGENT)).toEqual(Array(GUESSES_PER_AGENT).fill(204));
      expect(await statusesFrom(attacker, edge2, GUESSES_PER_AGENT)).toEqual(Array(GUESSES_PER_AGENT).fill(204));
      // The third host's share crosses it summed over the fleet, never on one host. Pollers from the
      // attacker's address are started first, so a process start is not part of the time measured.
      const pollers = await Promise.all(fleet.agents.map((agent) => pollerIn(attacker, agent.guardUrl)));
      try {
        const third = await statusesFrom(attacker, edge3, GUESSES_PER_AGENT);
        const sentAt = Date.now();
        expect(third.slice(0, GUESSES - 2 * GUESSES_PER_AGENT - 10)).toEqual(Array(GUESSES - 2 * GUESSES_PER_AGENT - 10).fill(204));
        const refusals = await Promise.all(pollers.map((poller) => poller.go()));
        expect(refusals.map((refusal) => refusal.status)).toEqual([403, 403, 403]);
        expect(Math.max(...refusals.map((refusal) => refusal.at)) - sentAt).toBeLessThanOrEqual(1000);
      } finally {
        for (const poller of pollers) poller.stop();
      }
      for (const agent of fleet.agents) expect(await statusesFrom(benign, agent, 3)).toEqual([204, 204, 204]);

      // One decision, audited with the hosts that each saw a part of it.
      const hosts = await listHosts(fleet.console.port);
      const idOf = (name: string) => hosts.find((host) => host.name === name)!.id;
      const audit = await waitFor(
        async () => {
          const answer = await api<{ events: Array<{ resource: string; details: { hosts: Array<{ hostId: number; count: number }>; hostsReached: number } }> }>(
            fleet.console.port,
            '/api/v1/audit?type=fleet.detection',
            { token: TEST_API_TOKEN },
          );
          return answer.body.events.find((event) => event.resource === attacker.address);
        },
        { what: 'the fleet-wide detection in the console audit' },
      );
      expect(audit.details.hostsReached).toBe(3);
      const byHost = new Map(audit.details.hosts.map((h) => [h.hostId, h.count]));
      expect([...byHost.keys()].sort()).toEqual([idOf('edge1'), idOf('edge2'), idOf('edge3')].sort());
      // The pollers' first requests may have been reported before the last of edge3's guesses.
      for (const name of ['edge1', 'edge2', 'edge3']) expect(byHost.get(idOf(name))).toBeLessThan(LOCAL_GUESSES);
      expect(byHost.get(idOf('edge1'))).toBeGreaterThanOrEqual(GUESSES_PER_AGENT);
      expect(byHost.get(idOf('edge2'))).toBeGreaterThanOrEqual(GUESSES_PER_AGENT);
      expect(audit.details.hosts.reduce((sum, h) => sum + h.count, 0)).toBeGreaterThanOrEqual(GUESSES);
      expect(audit.details.hosts.some((h) => byHost.get(h.hostId)! >= GUESSES)).toBe(false);
    },
  );

  it("shares one host's own isolation: the other guards refuse the source within 1 s", { timeout: 120_000 }, async () => {
    const spreader = fleet.clients[3];
    const [edge1, edge2, edge3] = fleet.agents;
    const pollers = await Promise.all([edge1, edge3].map((agent) => pollerIn(spreader, agent.guardUrl)));
    try {
      // Only edge2 sees it, and isolates it by itself: the sum over the fleet stays below the fleet's threshold.
      const flood = await statusesFrom(spreader, edge2, LOCAL_GUESSES + 50, 204);
      const refusedAt = Date.now();
      expect(flood.at(-1)).toBe(403);
      expect(flood.length).toBeLessThanOrEqual(LOCAL_GUESSES + 1);
      const refusals = await Promise.all(pollers.map((poller) => poller.go()));
      expect(refusals.map((refusal) => refusal.status)).toEqual([403, 403]);
      expect(Math.max(...refusals.map((refusal) => refusal.at)) - refusedAt).toBeLessThanOrEqual(1000);
    } finally {
      for (const poller of pollers) poller.stop();
    }
    // The guards refuse as soon as the decision is in force; its audit entry is committed just after.
    const shared = await waitFor(
      async () => {
        const answer = await api<{ events: Array<{ resource: string; details: { hostId: number } }> }>(
          fleet.console.port,
          '/api/v1/audit?type=fleet.decision_shared',
          {
            token: TEST_API_TOKEN,
          },
        );
        return answer.body.events.find((event) => event.resource === spreader.address);
      },
      { what: 'the shared decision in the audit trail' },
    );
    const edge2Id = (await listHosts(fleet.console.port)).find((host) => host.name === 'edge2')!.id;
    expect(shared.details.hostId).toBe(edge2Id);
  });

  it('keeps enforcing and detecting on the edges while the console is killed, and agrees again once it is back', { timeout: 180_000 }, async () => {
    const [attacker, benign, local] = fleet.clients;
    const [edge1, edge2, edge3] = fleet.agents;
    await fleet.killConsole();
    // What was decided for the fleet still holds on every edge.
    for (const agent of fleet.agents) expect(await statusesFrom(attacker, agent, 1)).toEqual([403]);
    // An edge's own detectors still isolate on their own: one client floods edge1 alone.
    const flood = await statusesFrom(local, edge1, LOCAL_GUESSES + 50, 204);
    expect(flood.at(-1)).toBe(403);
    expect(flood.length).toBeLessThanOrEqual(LOCAL_GUESSES + 1);
    expect(await guardStatus(edge1.guardUrl)).toBe(204);
    // Only there: the others count it too, but each below its own threshold.
    expect(await statusesFrom(local, edge2, 60)).toEqual(Array(60).fill(204));
    expect(await statusesFrom(local, edge3, 60)).toEqual(Array(60).fill(204));

    await fleet.restartConsole();
    await waitFor(async () => (await listHosts(fleet.console.port)).filter((host) => host.connected && host.name.startsWith('edge')).length === 3, {
      timeoutMs: 60_000,
      intervalMs: 50,
      what: 'the three agents to reconnect',
    });
    // The console remembers its fleet-wide decision, and every edge still enforces it.
    const isolations = await api<{ isolations: Array<{ source: string }> }>(fleet.console.port, '/api/v1/isolations', { token: TEST_API_TOKEN });
    expect(isolations.body.isolations.map((i) => i.source)).toContain(attacker.address);
    for (const agent of fleet.agents) expect(await statusesFrom(attacker, agent, 1)).toEqual([403]);
    // What the edges counted while the console was away reaches it now: above the fleet's threshold summed.
    await refusedEverywhereAfter(local, [edge2, edge3], Date.now());
    for (const agent of fleet.agents) expect(await statusesFrom(benign, agent, 1)).toEqual([204]);
  });
});
