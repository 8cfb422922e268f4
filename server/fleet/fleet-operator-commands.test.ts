import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { io as connectLive } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetCommandUpdate, FleetCommandView } from '@/lib/fleet/fleet-command-api';
import { openDatabase } from '../db/client';
import { api, makeTempDir, openLiveSession, TEST_API_TOKEN, TEST_SECRET, waitFor, type TempDir } from '../test-support';
import { createEnrollment, listHosts, startAgentProcess, startConsoleProcess, stopProcess, waitForHost, type FleetProcess } from '../test-support/fleet';
import { fleetCommandView, insertRoleToken, sendFleetCommand, settledFleetCommand } from '../test-support/fleet-commands';
import { guardCheck } from '../test-support/guard';
import { startStubHttpServer, type StubHttpServer } from '../test-support/stub-http-server';

type AgentName = 'fra1' | 'fra2' | 'ams1';
const RELEASED_SOURCE = '203.0.113.91';

const guardFor = async (worker: FleetProcess, source: string) => (await guardCheck(worker.port, { headers: { 'x-real-ip': source } })).status;

/** The audit events of `type` the console recorded, newest first. */
async function auditOf(consolePort: number, type: string): Promise<Array<{ actor: string; resource: string | null; details: Record<string, unknown> }>> {
  const answer = await api<{ events: Array<{ actor: string; resource: string | null; details: Record<string, unknown> }> }>(
    consolePort,
    `/api/v1/audit?type=${encodeURIComponent(type)}&limit=200`,
    { token: TEST_API_TOKEN },
  );
  expect(answer.status).toBe(200);
  return answer.body.events;
}

/** A browser's live socket on the console, signed in as a viewer, collecting the fleet command updates. */
async function watchFleetCommands(consoleWorker: FleetProcess) {
  const database = await openDatabase({ url: `file:${path.join(consoleWorker.dataDir, 'vigil.db')}` });
  const { token } = await openLiveSession({ secret: TEST_SECRET, database, role: 'viewer' }).finally(() => database.close());
  const socket = connectLive(`http://127.0.0.1:${consoleWorker.port}`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  const updates: FleetCommandUpdate[] = [];
  socket.on('fleet:command-update', (update: FleetCommandUpdate) => updates.push(update));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return { updates, close: () => void socket.close() };
}

describe('fleet commands: an operator acts on chosen hosts, each host answers, the console records it', () => {
  let tmp: TempDir;
  let consoleProcess: FleetProcess;
  let services: StubHttpServer;
  let operatorToken: string;
  const agents: Record<AgentName, FleetProcess | null> = { fra1: null, fra2: null, ams1: null };
  const hostIds = {} as Record<AgentName, number>;
  let siteDir: string;

  /** Each fra host watches a service of its own whose restart hook is this test's server: who restarted is who asked. */
  const moduleConfig = (name: AgentName) =>
    `modules:\n  - name: web\n    kind: http\n    url: ${services.url}/health/${name}\n    intervalSeconds: 30\n    restart: { http: ${JSON.stringify(`${services.url}/restart/${name}`)} }\n`;

  beforeAll(async () => {
    tmp = makeTempDir('vigil-fleet-operator-');
    services = await startStubHttpServer((_request, res) => res.writeHead(200).end('ok'));
    consoleProcess = await startConsoleProcess({ dataDir: tmp.join('console') });
    operatorToken = insertRoleToken(consoleProcess.dataDir, 'operator');
    const fra = await createEnrollment(consoleProcess.port, { labels: { site: 'fra' }, uses: 2, expiresInMinutes: 10 });
    const ams = await createEnrollment(consoleProcess.port, { labels: { site: 'ams' }, uses: 1, expiresInMinutes: 10 });
    siteDir = tmp.join('ams1-site');
    mkdirSync(siteDir, { recursive: true });
    writeFileSync(path.join(siteDir, 'index.html'), 'the known-good page\n');
    for (const name of ['fra1', 'fra2', 'ams1'] as const) mkdirSync(tmp.join(name), { recursive: true });
    writeFileSync(path.join(tmp.join('fra1'), 'vigil.config.yaml'), moduleConfig('fra1'));
    writeFileSync(path.join(tmp.join('fra2'), 'vigil.config.yaml'), moduleConfig('fra2'));
    writeFileSync(path.join(tmp.join('ams1'), 'vigil.config.yaml'), `snapshots:\n  sources:\n    - { name: site, path: ${JSON.stringify(siteDir)} }\n`);
    const consolePort = consoleProcess.port;
    [agents.fra1, agents.fra2, agents.ams1] = await Promise.all([
      startAgentProcess({ dataDir: tmp.join('fra1'), consolePort, token: fra, name: 'fra1' }),
      startAgentProcess({ dataDir: tmp.join('fra2'), consolePort, token: fra, name: 'fra2' }),
      startAgentProcess({ dataDir: tmp.join('ams1'), consolePort, token: ams, name: 'ams1' }),
    ]);
    for (const name of ['fra1', 'fra2', 'ams1'] as const) hostIds[name] = (await waitForHost(consolePort, name, (h) => h.connected, 'connected')).id;
  }, 180_000);

  afterAll(async () => {
    await Promise.all([consoleProcess, ...Object.values(agents)].map((process) => stopProcess(process)));
    await services?.close();
    tmp?.remove();
  });

  it('restarts a module on host fra2 only, and audits the command and the answer with operator and host', { timeout: 60_000 }, async () => {
    const sent = await sendFleetCommand(
      consoleProcess.port,
      { target: { hostId: hostIds.fra2 }, action: { kind: 'restart-module', module: 'web', reason: 'deploy went wrong on fra2' } },
      operatorToken,
    );
    expect(sent.status).toBe(202);
    expect(sent.body.hosts).toEqual([{ id: hostIds.fra2, name: 'fra2', status: 'sent' }]);
    const view = await settledFleetCommand(consoleProcess.port, sent.body.id);
    expect(view.hosts).toEqual([expect.objectContaining({ hostId: hostIds.fra2, status: 'succeeded', message: expect.stringContaining('web restarted') })]);
    expect(services.requests.filter((request) => request.path.startsWith('/restart/')).map((request) => request.path)).toEqual(['/restart/fra2']);

    const issued = (await auditOf(consoleProcess.port, 'fleet.command_issued')).find((event) => event.details.commandId === sent.body.id);
    expect(issued).toMatchObject({ actor: 'token:operator for the test', details: { kind: 'restart-module', hosts: [hostIds.fra2] } });
    const answers = (await auditOf(consoleProcess.port, 'fleet.command_result')).filter((event) => event.details.commandId === sent.body.id);
    expect(answers.map((event) => event.details.status).sort()).toEqual(['accepted', 'succeeded']);
    for (const answer of answers) expect(answer).toMatchObject({ actor: 'token:operator for the test', resource: `host:${hostIds.fra2}` });
  });

  it('locks down the hosts labelled site=fra and no other, and lifts it the same way, as an administrator only', { timeout: 60_000 }, async () => {
    // LOCKDOWN makes every non-admin read-only, so, as on the console's own page, only an administrator sets it.
    const refused = await sendFleetCommand(
      consoleProcess.port,
      { target: { labels: { site: 'fra' } }, action: { kind: 'lockdown', reason: 'an operator tries' } },
      operatorToken,
    );
    expect(refused.status).toBe(403);
    const sent = await sendFleetCommand(consoleProcess.port, {
      target: { labels: { site: 'fra' } },
      action: { kind: 'lockdown', reason: 'credential stuffing against fra' },
    });
    expect(sent.status).toBe(202);
    expect(sent.body.hosts.map((host) => host.name).sort()).toEqual(['fra1', 'fra2']);
    const view = await settledFleetCommand(consoleProcess.port, sent.body.id);
    expect(view.hosts.map((host) => host.status)).toEqual(['succeeded', 'succeeded']);
    for (const name of ['fra1', 'fra2'] as const) await waitForHost(consoleProcess.port, name, (h) => h.defenseMode === 'LOCKDOWN', 'reporting LOCKDOWN');
    expect((await listHosts(consoleProcess.port)).find((host) => host.name === 'ams1')!.defenseMode).toBe('NORMAL');

    const lifted = await sendFleetCommand(consoleProcess.port, {
      target: { labels: { site: 'fra' } },
      action: { kind: 'lift-lockdown', reason: 'attack over' },
    });
    expect((await settledFleetCommand(consoleProcess.port, lifted.body.id)).hosts.map((host) => host.status)).toEqual(['succeeded', 'succeeded']);
    for (const name of ['fra1', 'fra2'] as const) await waitForHost(consoleProcess.port, name, (h) => h.defenseMode === 'NORMAL', 'back to NORMAL');
  });

  it('releases a fleet-wide isolation on every agent and on the console itself', { timeout: 60_000 }, async () => {
    const source = RELEASED_SOURCE;
    const isolated = await api(consoleProcess.port, '/api/v1/isolations', {
      token: TEST_API_TOKEN,
      json: { source, reason: 'scanning every host', scope: 'fleet', duration: '1h' },
    });
    expect(isolated.status).toBe(201);
    const everyone = [consoleProcess, ...(Object.values(agents) as FleetProcess[])];
    for (const worker of everyone) await waitFor(async () => (await guardFor(worker, source)) === 403, { timeoutMs: 10_000, what: `${source} refused` });

    const sent = await sendFleetCommand(
      consoleProcess.port,
      { target: { fleet: true }, action: { kind: 'release', source, reason: 'false positive' } },
      operatorToken,
    );
    expect(sent.status).toBe(202);
    expect(sent.body.hosts.map((host) => host.id)).toEqual([1, hostIds.fra1, hostIds.fra2, hostIds.ams1].sort((a, b) => a - b));
    const view = await settledFleetCommand(consoleProcess.port, sent.body.id);
    expect(view.hosts.every((host) => host.status === 'succeeded')).toBe(true);
    for (const worker of everyone) expect(await guardFor(worker, source)).toBe(204);
    // Ended for the fleet too: a host that reconnects is not isolated again.
    const sqlite = new BetterSqlite3(path.join(consoleProcess.dataDir, 'vigil.db'), { readonly: true });
    try {
      const rows = sqlite.prepare('SELECT "expiresAt" FROM "FleetIsolation" WHERE "source" = ?').all(source) as Array<{ expiresAt: number | string }>;
      expect(rows.length).toBeGreaterThan(0);
      // Prisma writes SQLite times as epoch milliseconds or as ISO text, depending on the path.
      for (const row of rows) expect(typeof row.expiresAt === 'number' ? row.expiresAt : Date.parse(row.expiresAt)).toBeLessThanOrEqual(Date.now());
    } finally {
      sqlite.close();
    }
  });

  it('takes a golden snapshot on ams1 and restores it there, reporting progress, while an operator may not restore', { timeout: 120_000 }, async () => {
    const browser = await watchFleetCommands(consoleProcess);
    const created = await sendFleetCommand(
      consoleProcess.port,
      { target: { hostId: hostIds.ams1 }, action: { kind: 'snapshot-create', name: 'ams1-golden', golden: true } },
      operatorToken,
    );
    expect(created.status).toBe(202);
    const taken = (await settledFleetCommand(consoleProcess.port, created.body.id, 90_000)).hosts[0];
    expect(taken).toMatchObject({ status: 'succeeded', message: expect.stringMatching(/^golden snapshot ams1-golden: \d+ files, verified$/) });
    // The last progress the agent reported stays with its row.
    expect(taken.progress).toMatchObject({ phase: expect.any(String), filesTotal: expect.any(Number) });
    // Streamed to browsers as it arrived: accepted, the snapshot's phases, then the answer.
    const streamed = await waitFor(
      () => {
        const ofCommand = browser.updates.filter((update) => update.commandId === created.body.id);
        return ofCommand.some((update) => update.status === 'succeeded') ? ofCommand : undefined;
      },
      { timeoutMs: 10_000, what: 'the snapshot command on the live channel' },
    );
    expect(streamed[0]).toMatchObject({ hostId: hostIds.ams1, kind: 'snapshot-create', status: 'accepted' });
    expect(streamed.filter((update) => update.status === 'progress').every((update) => update.progress !== null)).toBe(true);
    expect(streamed.some((update) => update.status === 'progress')).toBe(true);
    expect(streamed.at(-1)!.status).toBe('succeeded');
    browser.close();

    writeFileSync(path.join(siteDir, 'index.html'), 'defaced\n');
    const restore = { target: { hostId: hostIds.ams1 }, action: { kind: 'snapshot-restore', snapshot: 'ams1-golden', reason: 'the page was defaced' } };
    const refused = await sendFleetCommand(consoleProcess.port, restore, operatorToken);
    expect(refused.status).toBe(403);
    expect(readFileSync(path.join(siteDir, 'index.html'), 'utf8')).toBe('defaced\n');

    const restored = await sendFleetCommand(consoleProcess.port, restore);
    expect(restored.status).toBe(202);
    const answer = (await settledFleetCommand(consoleProcess.port, restored.body.id, 90_000)).hosts[0];
    expect(answer).toMatchObject({ status: 'succeeded', message: expect.stringContaining('restore of ams1-golden: restored') });
    expect(answer.progress).not.toBeNull();
    expect(readFileSync(path.join(siteDir, 'index.html'), 'utf8')).toBe('the known-good page\n');
  });

  it('refuses bad commands with a 4xx: unknown kinds, bad targets, labels that match nobody, a viewer', async () => {
    const port = consoleProcess.port;
    const viewer = insertRoleToken(consoleProcess.dataDir, 'viewer');
    expect((await sendFleetCommand(port, { target: { fleet: true }, action: { kind: 'lockdown', reason: 'nope' } }, viewer)).status).toBe(403);
    expect((await sendFleetCommand(port, { target: { fleet: true }, action: { kind: 'format-disk' } })).status).toBe(422);
    expect((await sendFleetCommand(port, { target: { fleet: false }, action: { kind: 'lockdown', reason: 'nope' } })).status).toBe(422);
    const nobody = await sendFleetCommand(port, { target: { labels: { site: 'nowhere' } }, action: { kind: 'lockdown', reason: 'nobody there' } });
    expect(nobody.status).toBe(422);
    expect(nobody.body).toMatchObject({ error: { code: 'no_matching_hosts' } });
    expect((await sendFleetCommand(port, { target: { hostId: 999 }, action: { kind: 'lockdown', reason: 'gone' } })).status).toBe(404);
    expect((await api(port, '/api/v1/fleet/commands/not-a-uuid', { token: TEST_API_TOKEN })).status).toBe(400);
    expect((await api(port, '/api/v1/fleet/commands/5b1c8f0e-6a1e-4f7e-9d1b-2f0a3c4d5e6f', { token: TEST_API_TOKEN })).status).toBe(404);
  });

  it('delivers a lockdown to a host that reconnects, and fails a restart that expired while it was away', { timeout: 120_000 }, async () => {
    const port = consoleProcess.port;
    await stopProcess(agents.fra1);
    agents.fra1 = null;
    await waitForHost(port, 'fra1', (h) => !h.connected, 'disconnected');
    const lockdown = await sendFleetCommand(port, { target: { hostId: hostIds.fra1 }, action: { kind: 'lockdown', reason: 'while fra1 was away' } });
    const restart = await sendFleetCommand(
      port,
      { target: { hostId: hostIds.fra1 }, action: { kind: 'restart-module', module: 'web', reason: 'while fra1 was away' } },
      operatorToken,
    );
    expect([lockdown.body.hosts[0].status, restart.body.hosts[0].status]).toEqual(['pending', 'pending']);
    // The minute a restart may wait, passed the way the clock would pass it.
    const sqlite = new BetterSqlite3(path.join(consoleProcess.dataDir, 'vigil.db'));
    try {
      sqlite.prepare('UPDATE "FleetCommand" SET "expiresAt" = "createdAt" WHERE "id" = ?').run(restart.body.id);
    } finally {
      sqlite.close();
    }

    agents.fra1 = await startAgentProcess({ dataDir: tmp.join('fra1'), consolePort: port, name: 'fra1' });
    expect((await settledFleetCommand(port, lockdown.body.id)).hosts[0]).toMatchObject({ status: 'succeeded', message: 'LOCKDOWN set' });
    await waitForHost(port, 'fra1', (h) => h.defenseMode === 'LOCKDOWN', 'in LOCKDOWN after reconnecting');
    expect((await fleetCommandView(port, restart.body.id)).hosts[0]).toMatchObject({ status: 'failed', message: 'expired before the host reconnected' });
    expect(services.requests.filter((request) => request.path === '/restart/fra1')).toEqual([]);
    // Out of LOCKDOWN (which refuses everyone), the isolation released fleet-wide earlier was not sent again on reconnecting.
    const lifted = await sendFleetCommand(port, { target: { hostId: hostIds.fra1 }, action: { kind: 'lift-lockdown', reason: 'fra1 is back' } });
    expect((await settledFleetCommand(port, lifted.body.id)).hosts[0].status).toBe('succeeded');
    expect(await guardFor(agents.fra1, RELEASED_SOURCE)).toBe(204);
  });

  it('sends to chosen hosts, and lists the newest commands first with every host each went to, to a viewer', async () => {
    const port = consoleProcess.port;
    const release = { kind: 'release', source: '203.0.113.92', reason: 'listed' } as const;
    expect((await sendFleetCommand(port, { target: { hostIds: [hostIds.fra1, 999] }, action: release }, operatorToken)).status).toBe(404);
    expect((await sendFleetCommand(port, { target: { hostIds: [] }, action: release }, operatorToken)).status).toBe(422);
    const sent = await sendFleetCommand(port, { target: { hostIds: [hostIds.fra2, hostIds.ams1] }, action: release }, operatorToken);
    await settledFleetCommand(port, sent.body.id);
    const viewer = insertRoleToken(consoleProcess.dataDir, 'viewer');
    const listed = await api<FleetCommandView[]>(port, '/api/v1/fleet/commands', { token: viewer });
    expect(listed.status).toBe(200);
    expect(listed.body[0]).toMatchObject({ id: sent.body.id, kind: 'release', actor: 'token:operator for the test' });
    expect(listed.body[0].hosts.map((host) => host.name).sort()).toEqual(['ams1', 'fra2']);
    expect(listed.body[0].hosts.every((host) => host.status === 'succeeded')).toBe(true);
    const times = listed.body.map((command) => command.createdAt);
    expect(times).toEqual([...times].sort().reverse());
    expect(listed.body.length).toBeGreaterThan(1);
    expect((await api(port, '/api/v1/fleet/commands')).status).toBe(401);
  });
});
