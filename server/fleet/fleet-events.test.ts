import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '@/lib/audit/hash-chain';
import type { ChainedAuditEvent } from '@/lib/audit/types';
import { AUDIT_SELECT_COLUMNS, rowToEvent, type RawAuditRow } from '../audit/stored-event-row';
import { api, makeTempDir, PROVIDERS, TEST_API_TOKEN, waitFor, type TempDir } from '../test-support';
import { createTestDatabase, queryPostgres, type TestDatabase } from '../test-support/postgres';
import { createEnrollment, listHosts, startAgentProcess, startConsoleProcess, stopProcess, waitForHost, type FleetProcess } from '../test-support/fleet';

/** A worker's whole chain, read from its SQLite file beside it (read-only, while it runs). */
function chainOf(process: FleetProcess): ChainedAuditEvent[] {
  const sqlite = new BetterSqlite3(path.join(process.dataDir, 'vigil.db'), { readonly: true });
  try {
    return (sqlite.prepare(`SELECT ${AUDIT_SELECT_COLUMNS} FROM "AuditEvent" ORDER BY "seq"`).all() as RawAuditRow[]).map(rowToEvent);
  } finally {
    sqlite.close();
  }
}

async function report(agent: FleetProcess, names: string[]): Promise<void> {
  const events = names.map((name) => ({ type: 'custom', name }));
  const answer = await api(agent.port, '/api/v1/events', { method: 'POST', token: TEST_API_TOKEN, json: { events } });
  expect(answer.status).toBe(202);
}

const names = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-${i}`);

async function killHard(process: FleetProcess): Promise<void> {
  process.running.kill('SIGKILL');
  await process.running.exited;
}

/** Times as UTC text: node-postgres would read a timestamp without time zone as local time. */
const POSTGRES_CHAIN = `SELECT ${AUDIT_SELECT_COLUMNS.replace('"at"', `to_char("at", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "at"`)} FROM "AuditEvent" ORDER BY "seq"`;

describe.each(PROVIDERS)('an agent’s events reach a console on %s exactly once, in order, attributed to it', (provider) => {
  let tmp: TempDir;
  let database: TestDatabase | null = null;
  let consoleProcess: FleetProcess;
  const consoleChain = async (): Promise<ChainedAuditEvent[]> =>
    database ? (await queryPostgres<RawAuditRow>(database.url, POSTGRES_CHAIN)).map(rowToEvent) : chainOf(consoleProcess);
  let agent: FleetProcess | null = null;
  let hostId: number;

  /**
   * The agent's chain as it stands now, every event of it, and the console's copy of its events:
   * the same events in the same order, once each. The agent keeps recording while this waits, so
   * the console's copy is compared with the agent's chain read after it: it must be a prefix of
   * that chain (nothing doubled, nothing reordered) and hold at least what the agent had at the start.
   */
  async function expectDelivered(what: string): Promise<ChainedAuditEvent[]> {
    const ours = () => chainOf(agent!).map((e) => e.eventId);
    const recorded = ours();
    const theirs = async () => (await consoleChain()).filter((e) => e.hostId === hostId).map((e) => e.eventId);
    await waitFor(async () => (await theirs()).length >= recorded.length || undefined, { timeoutMs: 60_000, intervalMs: 200, what });
    const console = await consoleChain();
    const fromAgent = console.filter((e) => e.hostId === hostId);
    const delivered = fromAgent.map((e) => e.eventId);
    expect(delivered.slice(0, recorded.length)).toEqual(recorded);
    expect(delivered).toEqual(ours().slice(0, delivered.length));
    expect(verifyChain(console).ok).toBe(true);
    return fromAgent;
  }

  beforeAll(async () => {
    tmp = makeTempDir('vigil-fleet-events-');
    database = provider === 'postgresql' ? await createTestDatabase() : null;
    consoleProcess = await startConsoleProcess({ dataDir: tmp.join('console'), databaseUrl: database?.url });
    const token = await createEnrollment(consoleProcess.port, { labels: { role: 'web' }, uses: 1, expiresInMinutes: 10 });
    agent = await startAgentProcess({ dataDir: tmp.join('web1'), consolePort: consoleProcess.port, token, name: 'web1' });
    hostId = (await waitForHost(consoleProcess.port, 'web1', (h) => h.connected, 'connected')).id;
  }, 120_000);

  afterAll(async () => {
    await Promise.all([consoleProcess, agent].map((process) => stopProcess(process)));
    await database?.drop();
    tmp.remove();
  });

  it('delivers what the agent records, with the host, and records the connection', { timeout: 120_000 }, async () => {
    await report(agent!, names('first', 50));
    const delivered = await expectDelivered('the first events on the console');
    expect(delivered.filter((e) => e.action.startsWith('first-')).map((e) => e.action)).toEqual(names('first', 50));
    const connected = (await consoleChain()).filter((e) => e.type === 'fleet.agent_connected');
    expect(connected.map((e) => [e.hostId, e.resource])).toEqual([[1, `host:${hostId}`]]);
    const host = (await listHosts(consoleProcess.port)).find((h) => h.id === hostId)!;
    expect(host).toMatchObject({ connected: true, disconnectedSince: null });
    // The audit API filters by the reporting host.
    const page = await api<{ events: Array<{ hostId: number }> }>(consoleProcess.port, `/api/v1/audit?host=${hostId}&limit=200`, { token: TEST_API_TOKEN });
    expect(page.body.events.length).toBeGreaterThanOrEqual(50);
    expect(page.body.events.every((e) => e.hostId === hostId)).toBe(true);
  });

  it('keeps what the agent records while the console is killed, and delivers it once the console returns', { timeout: 180_000 }, async () => {
    await report(agent!, names('racing', 200));
    // Killed with events on the way: whatever it committed but could not acknowledge is sent again and skipped.
    await killHard(consoleProcess);
    await report(agent!, names('while-down', 100));
    const { port, dataDir } = consoleProcess;
    consoleProcess = await startConsoleProcess({ dataDir, port, databaseUrl: database?.url });
    await waitForHost(port, 'web1', (h) => h.connected, 'reconnected to the restarted console', 60_000);
    await report(agent!, names('after', 10));
    const delivered = (await expectDelivered('the events of the gap on the console')).map((e) => e.action);
    for (const prefix of ['racing', 'while-down'])
      expect(delivered.filter((a) => a.startsWith(`${prefix}-`))).toEqual(names(prefix, prefix === 'racing' ? 200 : 100));
  });

  it('loses nothing and doubles nothing when the agent is killed while delivering', { timeout: 180_000 }, async () => {
    await report(agent!, names('burst', 1000));
    await killHard(agent!);
    const { dataDir } = agent!;
    const gone = await waitForHost(consoleProcess.port, 'web1', (h) => !h.connected, 'disconnected');
    expect(gone.disconnectedSince).not.toBeNull();
    // The row is written first; the audit event commits with the next batch of the chain.
    await waitFor(async () => (await consoleChain()).some((e) => e.type === 'fleet.agent_disconnected' && e.resource === `host:${hostId}`), {
      what: 'fleet.agent_disconnected in the chain',
    });

    agent = await startAgentProcess({ dataDir, consolePort: consoleProcess.port, name: 'web1' });
    const back = await waitForHost(consoleProcess.port, 'web1', (h) => h.connected, 'reconnected');
    expect(back.disconnectedSince).toBeNull();
    expect(Date.parse(back.lastSeen!)).toBeGreaterThan(Date.parse(gone.lastSeen!));
    const delivered = (await expectDelivered('the burst on the console')).map((e) => e.action);
    expect(delivered.filter((a) => a.startsWith('burst-'))).toEqual(names('burst', 1000));
  });

  it('takes nothing from a revoked agent: its events never land, and the refusal is recorded once', { timeout: 120_000 }, async () => {
    await stopProcess(agent);
    const before = (await consoleChain()).filter((e) => e.hostId === hostId).length;
    const revoked = await api(consoleProcess.port, `/api/v1/hosts/${hostId}/revoke`, { method: 'POST', token: TEST_API_TOKEN });
    expect(revoked.status).toBe(200);
    agent = await startAgentProcess({ dataDir: agent!.dataDir, consolePort: consoleProcess.port, name: 'web1' });
    await report(agent, names('after-revocation', 20));
    // The agent tries again after each refusal; wait for two of them on the console's side.
    await waitFor(() => (consoleProcess.running.stdout().match(/refused a fleet agent/g)?.length ?? 0) >= 2 || undefined, {
      timeoutMs: 60_000,
      intervalMs: 100,
      what: 'the revoked agent to be refused twice',
    });
    const chain = await consoleChain();
    expect(chain.filter((e) => e.hostId === hostId)).toHaveLength(before);
    expect(chain.filter((e) => e.type === 'fleet.agent_refused' && e.resource === `host:${hostId}`)).toHaveLength(1);
    expect(chainOf(agent).some((e) => e.action === 'after-revocation-0')).toBe(true);
  });
});
