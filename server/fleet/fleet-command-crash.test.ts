import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/client';
import { insertFleetCommand } from '../queries/fleet-commands';
import { api, TEST_API_TOKEN, waitFor, type TempDir } from '../test-support';
import { startConsoleProcess, startConsoleWithAgent, stopProcess, type FleetProcess } from '../test-support/fleet';
import { fleetCommandView } from '../test-support/fleet-commands';

const restart = (commandId: string) => ({ kind: 'restart-module', module: 'web', reason: 'crash test', commandId, actor: 'user:admin' });

describe('the console killed between recording a command and delivering it', () => {
  let tmp: TempDir;
  let consoleProcess: FleetProcess | null = null;
  let agent: FleetProcess | null = null;
  let hostId: number;

  beforeAll(async () => {
    ({ tmp, consoleProcess, agent, hostId } = await startConsoleWithAgent('vigil-fleet-command-crash-'));
  }, 120_000);

  afterAll(async () => {
    await Promise.all([stopProcess(consoleProcess), stopProcess(agent)]);
    tmp?.remove();
  });

  it(
    'delivers a command recorded as pending once, never sends again one recorded as sent, and fails that one clearly at its expiry',
    { timeout: 180_000 },
    async () => {
      const port = consoleProcess!.port;
      consoleProcess!.running.kill('SIGKILL');
      await consoleProcess!.running.exited;
      // What a kill leaves between the rows and the delivery: one row "sent" (the host was connected), one "pending" (it was not).
      const sentId = randomUUID();
      const pendingId = randomUUID();
      const database = await openDatabase({ url: `file:${path.join(consoleProcess!.dataDir, 'vigil.db')}` });
      try {
        const now = Date.now();
        for (const [id, status, lifetimeMs] of [
          [sentId, 'sent', 25_000],
          [pendingId, 'pending', 60_000],
        ] as const)
          await insertFleetCommand(database.prisma, {
            id,
            kind: 'restart-module',
            action: JSON.stringify(restart(id)),
            target: JSON.stringify({ hostId }),
            actor: 'user:admin',
            createdAt: new Date(now),
            expiresAt: new Date(now + lifetimeMs),
            hosts: [{ hostId, status }],
          });
      } finally {
        await database.close();
      }

      consoleProcess = await startConsoleProcess({ dataDir: consoleProcess!.dataDir, port });
      const pending = await waitFor(
        async () => {
          const view = await fleetCommandView(port, pendingId);
          return ['succeeded', 'failed'].includes(view.hosts[0].status) ? view : undefined;
        },
        { timeoutMs: 60_000, what: 'the pending command to be carried out after the restart' },
      );
      expect(pending.hosts[0].message).not.toMatch(/expired/);
      const sent = await waitFor(
        async () => {
          const view = await fleetCommandView(port, sentId);
          return view.hosts[0].status === 'sent' ? undefined : view;
        },
        { timeoutMs: 60_000, what: 'the command recorded as sent to be settled' },
      );
      expect(sent.hosts[0]).toMatchObject({ status: 'failed', message: 'expired without an answer from the host' });

      // Each carried out at most once: one "accepted" for the pending one, none for the other.
      const results = await api<{ events: Array<{ details: { commandId: string; status: string } }> }>(
        port,
        '/api/v1/audit?type=fleet.command_result&limit=200',
        {
          token: TEST_API_TOKEN,
        },
      );
      const accepted = (id: string) => results.body.events.filter((event) => event.details.commandId === id && event.details.status === 'accepted').length;
      expect(accepted(pendingId)).toBe(1);
      expect(accepted(sentId)).toBe(0);
    },
  );
});
