import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetActionRequest } from '@/lib/fleet/fleet-actions';
import { FLEET_EVENTS, type FleetCommand } from '@/lib/fleet/fleet-api';
import { waitFor } from '../test-support';
import type { FleetProcess } from '../test-support/fleet';
import { agentBehindImpostor, type AgentBehindImpostor, type CommandResult } from '../test-support/fleet-impostor';
import { guardCheck } from '../test-support/guard';
import { newNonce, signCommand } from './fleet-signing';

/** One request of every kind an operator may send besides isolate. */
const ACTIONS: Array<Exclude<FleetActionRequest, { kind: 'isolate' }>> = [
  { kind: 'restart-module', module: 'web', reason: 'refusal test' },
  { kind: 'release', source: '203.0.113.5', reason: 'refusal test' },
  { kind: 'lockdown', reason: 'refusal test' },
  { kind: 'lift-lockdown', reason: 'refusal test' },
  { kind: 'snapshot-create', name: 'refusal-test', golden: true },
  { kind: 'snapshot-restore', snapshot: 'refusal-test', reason: 'refusal test' },
];

const commandFor = (hostId: number, action: (typeof ACTIONS)[number], { expiresInMs = 60_000 } = {}): FleetCommand => ({
  nonce: newNonce(),
  hostId,
  issuedAt: new Date().toISOString(),
  expiresAt: new Date(Date.now() + expiresInMs).toISOString(),
  action: { ...action, commandId: randomUUID(), actor: 'user:admin' },
});

const lockedDown = async (agent: FleetProcess) => (await guardCheck(agent.port, { headers: { 'x-real-ip': '198.51.100.200' } })).status === 403;

describe('an agent refuses forged, replayed and expired commands of every kind', () => {
  let setup: AgentBehindImpostor | null = null;

  beforeAll(async () => {
    // A man in the middle holding a stolen copy of the console's key for the genuine and replayed commands, and a key of his own for the forged ones.
    setup = await agentBehindImpostor('vigil-fleet-refusals-');
  }, 120_000);

  afterAll(async () => {
    await setup?.close();
  });

  it.each(ACTIONS.map((action) => [action.kind, action] as const))(
    'refuses a forged, an expired and a replayed %s',
    { timeout: 60_000 },
    async (_kind, action) => {
      const { impostor, agent, hostId, consoleKey } = setup!;
      const link = await waitFor(() => impostor.agent, { timeoutMs: 40_000, what: 'the agent to say hello' });
      const send = (command: FleetCommand, key: KeyObject = consoleKey) => link.emit(FLEET_EVENTS.command, { command, signature: signCommand(key, command) });
      const answer = (command: FleetCommand, accept: (result: CommandResult) => boolean = () => true) =>
        waitFor(() => impostor.results.find((result) => result.nonce === command.nonce && accept(result)), {
          timeoutMs: 20_000,
          what: `the answer to ${command.action.kind}`,
        });
      const refusal = (command: FleetCommand, message: string) => ({
        nonce: command.nonce,
        ok: false,
        error: message,
        commandId: command.action.commandId,
        status: 'refused',
        message,
      });

      const forged = commandFor(hostId, action);
      send(forged, generateKeyPairSync('ed25519').privateKey);
      expect(await answer(forged)).toEqual(refusal(forged, 'not signed by the enrolled console'));

      const expired = commandFor(hostId, action, { expiresInMs: -1000 });
      send(expired);
      expect(await answer(expired)).toEqual(refusal(expired, 'expired'));
      if (action.kind === 'lockdown') expect(await lockedDown(agent)).toBe(false);

      // Genuine once: carried out (a restart of a module this host lacks fails, as an answer), then refused when played back.
      const genuine = commandFor(hostId, action);
      send(genuine);
      const final = await answer(genuine, (result) => result.status === 'succeeded' || result.status === 'failed');
      expect(final).toMatchObject({ commandId: genuine.action.commandId, message: expect.any(String) });
      if (action.kind === 'lockdown') expect(await lockedDown(agent)).toBe(true);
      if (action.kind === 'lift-lockdown') expect(await lockedDown(agent)).toBe(false);
      impostor.results.length = 0;
      send(genuine);
      expect(await answer(genuine)).toEqual(refusal(genuine, 'replayed'));
    },
  );
});
