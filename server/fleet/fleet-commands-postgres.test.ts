import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgresConsole, type PostgresConsole } from '../test-support/fleet-postgres';
import { createEnrollment, startAgentProcess, stopProcess, waitForHost, type FleetProcess } from '../test-support/fleet';
import { fleetCommandView, sendFleetCommand, settledFleetCommand } from '../test-support/fleet-commands';

describe('fleet commands on a console that keeps its store on PostgreSQL', () => {
  let pg: PostgresConsole;
  let consoleProcess: FleetProcess | null = null;
  let agent: FleetProcess | null = null;

  beforeAll(async () => {
    pg = await startPostgresConsole({ prefix: 'vigil-fleet-commands-pg-' });
    consoleProcess = pg.replicas[0]!;
  }, 90_000);

  afterAll(async () => {
    await stopProcess(agent);
    await pg?.close();
  });

  it('locks down the whole fleet, the console included, records every answer, and lifts it', { timeout: 120_000 }, async () => {
    const port = consoleProcess!.port;
    const token = await createEnrollment(port, { labels: { site: 'fra' }, uses: 1, expiresInMinutes: 5 });
    agent = await startAgentProcess({ dataDir: pg.tmp.join('agent'), consolePort: port, token, name: 'pg-edge' });
    const host = await waitForHost(port, 'pg-edge', (h) => h.connected, 'connected');

    const sent = await sendFleetCommand(port, { target: { fleet: true }, action: { kind: 'lockdown', reason: 'fleet on PostgreSQL' } });
    expect(sent.status).toBe(202);
    expect(sent.body.hosts.map((h) => h.id)).toEqual([1, host.id]);
    const view = await settledFleetCommand(port, sent.body.id);
    expect(view).toMatchObject({ kind: 'lockdown', actor: expect.stringMatching(/^token:/), target: { fleet: true } });
    expect(view.hosts.map((h) => [h.hostId, h.status, h.message])).toEqual([
      [1, 'succeeded', 'LOCKDOWN set'],
      [host.id, 'succeeded', 'LOCKDOWN set'],
    ]);
    await waitForHost(port, 'pg-edge', (h) => h.defenseMode === 'LOCKDOWN', 'in LOCKDOWN');
    await waitForHost(port, 'local', (h) => h.defenseMode === 'LOCKDOWN', 'in LOCKDOWN');

    const lifted = await sendFleetCommand(port, { target: { fleet: true }, action: { kind: 'lift-lockdown', reason: 'over' } });
    expect((await settledFleetCommand(port, lifted.body.id)).hosts.map((h) => h.status)).toEqual(['succeeded', 'succeeded']);
    expect((await fleetCommandView(port, sent.body.id)).hosts.every((h) => h.status === 'succeeded')).toBe(true);
  });
});
