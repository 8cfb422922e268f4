import { randomUUID, type KeyObject } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLEET_EVENTS, type FleetCommand } from '@/lib/fleet/fleet-api';
import { loadCheckpointKey } from '../audit/checkpoint-key';
import { makeTempDir, waitFor, type TempDir } from '../test-support';
import { createEnrollment, startAgentProcess, startConsoleProcess, stopProcess, waitForHost, type FleetProcess } from '../test-support/fleet';
import { ImpostorConsole } from '../test-support/fleet-impostor';
import { newNonce, signCommand } from './fleet-signing';

describe('a command captured on the wire and played back after the agent restarted', () => {
  let tmp: TempDir;
  let agent: FleetProcess | null = null;
  let impostor: ImpostorConsole | null = null;
  let hostId: number;
  let consoleKey: KeyObject;
  let consolePort: number;

  beforeAll(async () => {
    tmp = makeTempDir('vigil-fleet-replay-restart-');
    const consoleProcess = await startConsoleProcess({ dataDir: tmp.join('console') });
    consolePort = consoleProcess.port;
    const token = await createEnrollment(consolePort, { labels: {}, uses: 1, expiresInMinutes: 5 });
    agent = await startAgentProcess({ dataDir: tmp.join('agent'), consolePort, token, name: 'edge1' });
    hostId = (await waitForHost(consolePort, 'edge1', (h) => h.connected, 'connected')).id;
    // Whoever replays holds what was on the wire: the genuine command, signed by the console's key.
    consoleKey = loadCheckpointKey(path.join(consoleProcess.dataDir, 'fleet', 'console.key'), { create: false })!.privateKey;
    await stopProcess(consoleProcess);
    impostor = await ImpostorConsole.listen(consolePort, consoleKey);
  }, 120_000);

  afterAll(async () => {
    await impostor?.close();
    await stopProcess(agent);
    tmp?.remove();
  });

  it('is refused as replayed, within its lifetime, by the agent that carried it out before it restarted', { timeout: 120_000 }, async () => {
    const command: FleetCommand = {
      nonce: newNonce(),
      hostId,
      issuedAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
      action: { kind: 'restart-module', module: 'web', reason: 'replay test', commandId: randomUUID(), actor: 'user:admin' },
    };
    const signed = { command, signature: signCommand(consoleKey, command) };
    const answered = (accept: (status: string | undefined) => boolean) =>
      waitFor(() => impostor!.results.find((result) => result.nonce === command.nonce && accept(result.status)), {
        timeoutMs: 30_000,
        what: 'the agent to answer the command',
      });

    const first = await waitFor(() => impostor!.agent, { timeoutMs: 40_000, what: 'the agent to say hello' });
    first.emit(FLEET_EVENTS.command, signed);
    expect((await answered((status) => status === 'succeeded' || status === 'failed')).status).not.toBe('refused');

    // The agent restarts (an upgrade, a crash) while the command is still within its lifetime.
    await stopProcess(agent);
    impostor!.agent = null;
    impostor!.results.length = 0;
    agent = await startAgentProcess({ dataDir: tmp.join('agent'), consolePort, name: 'edge1' });
    const second = await waitFor(() => impostor!.agent, { timeoutMs: 40_000, what: 'the restarted agent to say hello' });
    second.emit(FLEET_EVENTS.command, signed);
    expect(await answered(() => true)).toMatchObject({ commandId: command.action.commandId, status: 'refused', message: 'replayed' });
    expect(Date.now()).toBeLessThan(Date.parse(command.expiresAt));
  });
});
