import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLEET_EVENTS, type FleetCommand } from '@/lib/fleet/fleet-api';
import { waitFor } from '../test-support';
import { agentBehindImpostor, type AgentBehindImpostor, type CommandResult } from '../test-support/fleet-impostor';
import { guardCheck } from '../test-support/guard';
import { newNonce, signCommand } from './fleet-signing';

type OperatorAction = FleetCommand['action'];

/** The same operator command as the console signs it at each delivery: a fresh nonce and stamp, the same command id. */
const delivery = (hostId: number, action: OperatorAction): FleetCommand => ({
  nonce: newNonce(),
  hostId,
  issuedAt: new Date().toISOString(),
  expiresAt: new Date(Date.now() + 60_000).toISOString(),
  action,
});

describe('an agent sent the same command again', () => {
  let setup: AgentBehindImpostor | null = null;

  beforeAll(async () => {
    // The console's own key, played by the test: it sends what a console's resend sends.
    setup = await agentBehindImpostor('vigil-fleet-command-once-');
  }, 120_000);

  afterAll(async () => {
    await setup?.close();
  });

  it('answers with the outcome it recorded and does not carry the command out a second time', { timeout: 60_000 }, async () => {
    const { impostor, agent, hostId, consoleKey } = setup!;
    const link = await waitFor(() => impostor.agent, { timeoutMs: 40_000, what: 'the agent to say hello' });
    const send = (command: FleetCommand) => link.emit(FLEET_EVENTS.command, { command, signature: signCommand(consoleKey, command) });
    const answersTo = (command: FleetCommand) => impostor.results.filter((result) => result.nonce === command.nonce);
    const finalAnswer = (command: FleetCommand) =>
      waitFor(() => answersTo(command).find((result: CommandResult) => result.status === 'succeeded' || result.status === 'failed'), {
        timeoutMs: 20_000,
        what: `the final answer to ${command.nonce}`,
      });

    const isolate: OperatorAction = {
      kind: 'isolate',
      source: '203.0.113.71',
      reason: 'resend test',
      actor: 'user:admin',
      until: null,
      commandId: randomUUID(),
    };
    const first = delivery(hostId, isolate);
    send(first);
    expect(await finalAnswer(first)).toMatchObject({ status: 'succeeded', message: '203.0.113.71 isolated' });
    expect(answersTo(first).map((result) => result.status)).toEqual(['accepted', 'succeeded']);

    // The console did not hear back and sends it again: carried out again, it would answer "already isolated".
    const again = delivery(hostId, isolate);
    send(again);
    expect(await finalAnswer(again)).toEqual({
      nonce: again.nonce,
      ok: true,
      commandId: isolate.commandId,
      status: 'succeeded',
      message: '203.0.113.71 isolated',
    });

    // Answers go back in order on the one connection: once another command's answer is in, the resend has said all it will.
    const other = delivery(hostId, {
      kind: 'isolate',
      source: '203.0.113.72',
      reason: 'resend test',
      actor: 'user:admin',
      until: null,
      commandId: randomUUID(),
    });
    send(other);
    await finalAnswer(other);
    expect(answersTo(again)).toHaveLength(1);
    expect((await guardCheck(agent.port, { headers: { 'x-real-ip': '203.0.113.71' } })).status).toBe(403);
  });
});
