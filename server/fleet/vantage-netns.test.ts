import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModuleView } from '@/lib/healing/module-view';
import { api, makeTempDir, TEST_API_TOKEN, waitFor, type TempDir } from '../test-support';
import { startNetnsFleet, type NetnsAgent, type NetnsFleet } from '../test-support/fleet-netns';

/** The agents run nothing of their own: what they probe comes from the console. */
const AGENT_CONFIG = 'modules: []\n';
const MODULE = 'shop';

interface AuditAnswer {
  events: Array<{ type: string; module: string; details: { points: Array<{ name: string; status: string }> } }>;
}

describe('a module probed from three agents in their own network namespaces, with a quorum of 2', () => {
  let tmp: TempDir;
  let fleet: NetnsFleet;
  let target: Server;
  let targetPort: number;

  const moduleView = async () => {
    const answer = await api<ModuleView>(fleet.console.port, `/api/v1/modules/${MODULE}`, { token: TEST_API_TOKEN });
    expect(answer.status).toBe(200);
    return answer.body;
  };
  const pointsOf = (view: ModuleView) => Object.fromEntries((view.vantage?.points ?? []).map((point) => [point.name, point.status]));
  const waitForModule = (accept: (view: ModuleView) => boolean, what: string) =>
    waitFor(
      async () => {
        const view = await moduleView();
        return accept(view) ? view : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 50, what },
    );
  const openIncidents = async () => {
    const answer = await api<Array<{ module: string; state: string }>>(fleet.console.port, '/api/v1/incidents', { token: TEST_API_TOKEN });
    return answer.body.filter((incident) => incident.module === MODULE && incident.state === 'open');
  };
  const audited = async (type: string) =>
    (await api<AuditAnswer>(fleet.console.port, `/api/v1/audit?type=${type}`, { token: TEST_API_TOKEN })).body.events.filter(
      (event) => event.module === MODULE,
    );

  /** The target refuses this agent's connections, as a broken route or firewall near that host would. */
  const block = (agent: NetnsAgent) =>
    agent.host
      .exec('nft', ['add', 'table', 'inet', 'vantage'])
      .then(() => agent.host.exec('nft', ['add', 'chain', 'inet', 'vantage', 'out', '{', 'type', 'filter', 'hook', 'output', 'priority', '0', ';', '}']))
      .then(() =>
        agent.host.exec('nft', [
          'add',
          'rule',
          'inet',
          'vantage',
          'out',
          'ip',
          'daddr',
          fleet.network.address,
          'tcp',
          'dport',
          String(targetPort),
          'reject',
          'with',
          'tcp',
          'reset',
        ]),
      );
  const unblock = (agent: NetnsAgent) => agent.host.exec('nft', ['delete', 'table', 'inet', 'vantage']);

  beforeAll(async () => {
    tmp = makeTempDir('vigil-vantage-netns-');
    fleet = await startNetnsFleet({ dataDir: tmp.path, agents: ['edge1', 'edge2', 'edge3'], clients: 0, agentConfig: AGENT_CONFIG });
    // A real HTTP server on this machine, reached by every agent over the bridge.
    target = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => target.listen(0, fleet.network.address, resolve));
    targetPort = (target.address() as AddressInfo).port;
    const registered = await api(fleet.console.port, '/api/v1/modules', {
      token: TEST_API_TOKEN,
      json: {
        name: MODULE,
        kind: 'http',
        url: `http://${fleet.network.address}:${targetPort}/`,
        intervalSeconds: 1,
        timeoutSeconds: 1,
        failureThreshold: 1,
        vantage: { labels: { net: 'netns' }, quorum: 2 },
      },
    });
    expect(registered.status, registered.text).toBe(201);
  }, 180_000);

  afterAll(async () => {
    await new Promise((resolve) => target?.close(resolve));
    await fleet?.destroy();
    tmp?.remove();
  });

  it('is up with every vantage point answering, each with its latency', { timeout: 60_000 }, async () => {
    const view = await waitForModule((v) => v.state === 'up' && Object.values(pointsOf(v)).filter((s) => s === 'up').length === 3, 'three vantage points up');
    expect(view.vantage?.quorum).toBe(2);
    expect(view.vantage?.points.every((point) => point.latencyMs !== null && point.latencyMs >= 0)).toBe(true);
  });

  it('is degraded, not down, when one agent cannot reach it: no outage incident, the degradation audited with who saw it', { timeout: 90_000 }, async () => {
    const [edge1] = fleet.agents;
    await block(edge1);
    const view = await waitForModule((v) => v.state === 'degraded', 'the module to be degraded');
    expect(pointsOf(view)).toEqual({ edge1: 'down', edge2: 'up', edge3: 'up' });
    expect(view.message).toBe('degraded: down from edge1 (1 of 3, quorum 2)');
    // It stays so for several more verdicts, and nothing is opened or healed.
    const checkedAt = Date.parse(view.lastCheckAt!);
    const later = await waitForModule((v) => Date.parse(v.lastCheckAt!) >= checkedAt + 3000, 'three more verdicts');
    expect(later.state).toBe('degraded');
    expect(await openIncidents()).toEqual([]);
    const [degraded] = await audited('module.vantage_degraded');
    expect(degraded.details.points.find((point) => point.name === 'edge1')?.status).toBe('down');
  });

  it('is down once a second agent sees it down, and up again when both reach it', { timeout: 90_000 }, async () => {
    const [edge1, edge2] = fleet.agents;
    const blockedAt = Date.now();
    await block(edge2);
    const view = await waitForModule((v) => v.state === 'down', 'the module to be down with the quorum');
    const detectedMs = Date.now() - blockedAt;
    expect(pointsOf(view)).toMatchObject({ edge1: 'down', edge2: 'down' });
    expect(await waitFor(async () => (await openIncidents()).length === 1 || undefined, { what: 'the outage incident' })).toBe(true);
    const [down] = await audited('module.vantage_down');
    expect(
      down.details.points
        .filter((point) => point.status === 'down')
        .map((point) => point.name)
        .sort(),
    ).toEqual(['edge1', 'edge2']);
    console.log(`vantage quorum: blocked from the second agent to down on the console in ${detectedMs} ms`);

    await unblock(edge1);
    await unblock(edge2);
    await waitForModule((v) => v.state === 'up' && Object.values(pointsOf(v)).every((s) => s === 'up'), 'the module to be up from all three');
    await waitFor(async () => (await openIncidents()).length === 0 || undefined, { what: 'the incident to resolve' });
    expect((await audited('module.vantage_up')).length).toBeGreaterThanOrEqual(1);
  });

  it("counts a disconnected agent's vote as unknown: it neither takes the module down nor makes the quorum", { timeout: 90_000 }, async () => {
    const [edge1, , edge3] = fleet.agents;
    edge3.process.running.kill('SIGKILL');
    await edge3.process.running.exited;
    const view = await waitForModule((v) => pointsOf(v).edge3 === 'unknown', "edge3's vote to be unknown");
    expect(view.state).toBe('up');
    await block(edge1);
    const degraded = await waitForModule((v) => v.state === 'degraded', 'the module to be degraded');
    expect(pointsOf(degraded)).toEqual({ edge1: 'down', edge2: 'up', edge3: 'unknown' });
    expect(await openIncidents()).toEqual([]);
    await unblock(edge1);
    await waitForModule((v) => v.state === 'up', 'the module to be up again');
  });
});
