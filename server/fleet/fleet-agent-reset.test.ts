import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/client';
import { readWholeChain, waitFor, type TempDir } from '../test-support';
import { startAgentProcess, startConsoleWithAgent, stopProcess, type FleetProcess } from '../test-support/fleet';

/** The console's chain, read from its SQLite file while it runs. */
async function consoleChain(consoleProcess: FleetProcess) {
  const database = await openDatabase({ url: `file:${path.join(consoleProcess.dataDir, 'vigil.db')}` });
  try {
    return await readWholeChain(database);
  } finally {
    await database.close();
  }
}

describe('an agent whose database was wiped', () => {
  let tmp: TempDir;
  let consoleProcess: FleetProcess | null = null;
  let agent: FleetProcess | null = null;
  let hostId: number;

  beforeAll(async () => {
    ({ tmp, consoleProcess, agent, hostId } = await startConsoleWithAgent('vigil-fleet-agent-reset-'));
  }, 120_000);

  afterAll(async () => {
    await Promise.all([stopProcess(consoleProcess), stopProcess(agent)]);
    tmp?.remove();
  });

  it('has its new numbering accepted by the console, recorded as a reset, and none of its new events skipped', { timeout: 180_000 }, async () => {
    const started = (chain: Awaited<ReturnType<typeof consoleChain>>) => chain.filter((event) => event.hostId === hostId && event.type === 'worker.started');
    await waitFor(async () => started(await consoleChain(consoleProcess!)).length === 1 || undefined, {
      timeoutMs: 60_000,
      what: "the agent's first start to reach the console",
    });
    await stopProcess(agent);
    // The database goes; the identity in <data dir>/fleet stays, so the same host comes back.
    for (const suffix of ['', '-wal', '-shm']) rmSync(path.join(agent!.dataDir, `vigil.db${suffix}`), { force: true });
    agent = await startAgentProcess({ dataDir: agent!.dataDir, consolePort: consoleProcess!.port, name: 'edge1' });

    const chain = await waitFor(
      async () => {
        const seen = await consoleChain(consoleProcess!);
        // The reset is recorded by the console's own writer, alongside the commit of the events.
        return started(seen).length === 2 && seen.some((event) => event.type === 'fleet.agent_reset') ? seen : undefined;
      },
      { timeoutMs: 60_000, what: "the agent's events after the wipe to reach the console" },
    );
    const resets = chain.filter((event) => event.type === 'fleet.agent_reset' && event.hostId === 1);
    expect(resets).toHaveLength(1);
    expect(resets[0]).toMatchObject({ resource: `host:${hostId}`, severity: 'warning' });
  });
});
