import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLEET_EVENTS, type FleetCommand } from '@/lib/fleet/fleet-api';
import { waitFor } from '../test-support';
import { startAgentProcess, stopProcess } from '../test-support/fleet';
import { agentBehindImpostor, type AgentBehindImpostor } from '../test-support/fleet-impostor';
import { newNonce, signCommand } from './fleet-signing';

describe('a command captured on the wire and played back after the agent restarted', () => {
  let setup: AgentBehindImpostor | null = null;

  beforeAll(async () => {
    // Whoever replays holds what was on the wire: the genuine command, signed by the console's key.
    setup = await agentBehindImpostor('vigil-fleet-replay-restart-');
  }, 120_000);

  afterAll(async () => {
    await setup?.close();
  });

  it('is refused as replayed, within its lifetime, by the agent that carried it out before it restarted', { timeout: 120_000 }, async () => {
    const { impostor, hostId, consoleKey, consolePort, tmp } = setup!;
    const command: FleetCommand = {
      nonce: newNonce(),
      hostId,
      issuedAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
      action: { kind: 'restart-module', module: 'web', reason: 'replay test', commandId: randomUUID(), actor: 'user:admin' },
    };
    const signed = { command, signature: signCommand(consoleKey, command) };
    const answered = (accept: (status: string | undefined) => boolean) =>
      waitFor(() => impostor.results.find((result) => result.nonce === command.nonce && accept(result.status)), {
        timeoutMs: 30_000,
        what: 'the agent to answer the command',
      });

    const first = await waitFor(() => impostor.agent, { timeoutMs: 40_000, what: 'the agent to say hello' });
    first.emit(FLEET_EVENTS.command, signed);
    expect((await answered((status) => status === 'succeeded' || status === 'failed')).status).not.toBe('refused');

    // The agent restarts (an upgrade, a crash) while the command is still within its lifetime.
    await stopProcess(setup!.agent);
    impostor.agent = null;
    impostor.results.length = 0;
    setup!.agent = await startAgentProcess({ dataDir: tmp.join('agent'), consolePort, name: 'edge1' });
    const second = await waitFor(() => impostor.agent, { timeoutMs: 40_000, what: 'the restarted agent to say hello' });
    second.emit(FLEET_EVENTS.command, signed);
    expect(await answered(() => true)).toMatchObject({ commandId: command.action.commandId, status: 'refused', message: 'replayed' });
    expect(Date.now()).toBeLessThan(Date.parse(command.expiresAt));
  });
});
