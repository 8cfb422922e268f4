import { randomUUID, type KeyObject } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLEET_EVENTS, type FleetCommand } from '@/lib/fleet/fleet-api';
import { loadCheckpointKey } from '../audit/checkpoint-key';
import { makeTempDir, waitFor, type TempDir } from '../test-support';
import { createEnrollment, startAgentProcess, startConsoleProcess, stopProcess, waitForHost, type FleetProcess } from '../test-support/fleet';
import { ImpostorConsole } from '../test-support/fleet-impostor';
import { newNonce, signChallenge, signCommand } from './fleet-signing';

/**
 * A console (here, one holding the console's key) that challenges twice on one connection gets one
 * hello: the agent answers the first challenge of each connection only. What the agent does in
 * order on one connection is the measure: a command sent after the second challenge is answered
 * only once that challenge was handled.
 */
describe("the agent's hello, once per connection", () => {
  let tmp: TempDir;
  let agent: FleetProcess | null = null;
  let impostor: ImpostorConsole | null = null;
  let hostId: number;
  let consoleKey: KeyObject;

  beforeAll(async () => {
    tmp = makeTempDir('vigil-fleet-hello-once-');
    const consoleProcess = await startConsoleProcess({ dataDir: tmp.join('console') });
    const token = await createEnrollment(consoleProcess.port, { labels: {}, uses: 1, expiresInMinutes: 5 });
    agent = await startAgentProcess({ dataDir: tmp.join('agent'), consolePort: consoleProcess.port, token, name: 'edge1' });
    hostId = (await waitForHost(consoleProcess.port, 'edge1', (h) => h.connected, 'connected')).id;
    consoleKey = loadCheckpointKey(path.join(consoleProcess.dataDir, 'fleet', 'console.key'), { create: false })!.privateKey;
    await stopProcess(consoleProcess);
    impostor = await ImpostorConsole.listen(consoleProcess.port, consoleKey);
  }, 120_000);

  afterAll(async () => {
    await impostor?.close();
    await stopProcess(agent);
    tmp?.remove();
  });

  it('answers a second challenge on the same connection with nothing', { timeout: 120_000 }, async () => {
    const socket = await waitFor(() => impostor!.agent, { timeoutMs: 60_000, what: 'the agent to say hello' });
    expect(impostor!.hellos).toHaveLength(1);
    const nonce = newNonce();
    socket.emit(FLEET_EVENTS.challenge, { nonce, signature: signChallenge(consoleKey, nonce) });
    const command: FleetCommand = {
      nonce: newNonce(),
      hostId,
      issuedAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
      action: { kind: 'restart-module', module: 'web', reason: 'after the second challenge', commandId: randomUUID(), actor: 'user:admin' },
    };
    socket.emit(FLEET_EVENTS.command, { command, signature: signCommand(consoleKey, command) });
    await impostor!.resultFor(command.nonce);
    expect(impostor!.hellos).toHaveLength(1);
  });
});
