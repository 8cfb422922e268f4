import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLEET_EVENTS, type FleetCommand } from '@/lib/fleet/fleet-api';
import { waitFor } from '../test-support';
import { agentBehindImpostor, type AgentBehindImpostor } from '../test-support/fleet-impostor';
import { newNonce, signChallenge, signCommand } from './fleet-signing';

/**
 * A console (here, one holding the console's key) that challenges twice on one connection gets one
 * hello: the agent answers the first challenge of each connection only. What the agent does in
 * order on one connection is the measure: a command sent after the second challenge is answered
 * only once that challenge was handled.
 */
describe("the agent's hello, once per connection", () => {
  let setup: AgentBehindImpostor | null = null;

  beforeAll(async () => {
    setup = await agentBehindImpostor('vigil-fleet-hello-once-');
  }, 120_000);

  afterAll(async () => {
    await setup?.close();
  });

  it('answers a second challenge on the same connection with nothing', { timeout: 120_000 }, async () => {
    const { impostor, hostId, consoleKey } = setup!;
    const socket = await waitFor(() => impostor.agent, { timeoutMs: 60_000, what: 'the agent to say hello' });
    expect(impostor.hellos).toHaveLength(1);
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
    await impostor.resultFor(command.nonce);
    expect(impostor.hellos).toHaveLength(1);
  });
});
