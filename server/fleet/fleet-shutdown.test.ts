import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '@/lib/audit/hash-chain';
import { AUDIT_SELECT_COLUMNS, rowToEvent, type RawAuditRow } from '../audit/stored-event-row';
import { makeTempDir, type TempDir } from '../test-support';
import { createEnrollment, startConsoleProcess, stopProcess, type FleetProcess } from '../test-support/fleet';
import { ProtocolAgent } from '../test-support/fleet-protocol-agent';

const AGENTS = 60;
/** Far below the 30 s a WebSocket close waits for a peer that does not answer it. */
const BOUND_MS = 10_000;

describe('a console holding many agents, stopped', () => {
  let tmp: TempDir;
  let consoleProcess: FleetProcess;
  const agents: ProtocolAgent[] = [];

  beforeAll(async () => {
    tmp = makeTempDir('vigil-fleet-shutdown-');
    consoleProcess = await startConsoleProcess({ dataDir: tmp.join('console'), vars: { VIGIL_FLEET_ENROLLMENTS_PER_MINUTE: '100000' } });
  });

  afterAll(async () => {
    for (const agent of agents) agent.close();
    await stopProcess(consoleProcess);
    tmp.remove();
  });

  it('exits within seconds of SIGTERM, though its agents reconnect and one reads nothing, its audit chain intact', { timeout: 180_000 }, async () => {
    const port = consoleProcess.port;
    const token = await createEnrollment(port, { labels: {}, uses: AGENTS + 1, expiresInMinutes: 10 });
    // Like real agents they come back at once when cut off, in the middle of the console's stop.
    for (let i = 0; i < AGENTS; i += 10)
      agents.push(...(await Promise.all(Array.from({ length: 10 }, (_, j) => ProtocolAgent.enroll(port, token, `edge${i + j}`, { reconnect: true })))));
    // A host whose agent hangs: it never answers the close of its WebSocket.
    const hung = await ProtocolAgent.enroll(port, token, 'hung');
    agents.push(hung);
    hung.stopReading();

    const startedAt = Date.now();
    consoleProcess.running.kill('SIGTERM');
    await consoleProcess.running.exited;
    expect(Date.now() - startedAt).toBeLessThan(BOUND_MS);
    expect(consoleProcess.running.child.exitCode).toBe(0);

    const sqlite = new BetterSqlite3(path.join(consoleProcess.dataDir, 'vigil.db'), { readonly: true });
    try {
      const chain = (sqlite.prepare(`SELECT ${AUDIT_SELECT_COLUMNS} FROM "AuditEvent" ORDER BY "seq"`).all() as RawAuditRow[]).map(rowToEvent);
      expect(verifyChain(chain).ok).toBe(true);
      expect(chain.some((event) => event.type === 'worker.stopped')).toBe(true);
    } finally {
      sqlite.close();
    }
  });
});
