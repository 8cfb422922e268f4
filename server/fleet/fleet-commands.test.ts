import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLEET_EVENTS, type FleetCommand } from '@/lib/fleet/fleet-api';
import { loadCheckpointKey } from '../audit/checkpoint-key';
import { makeTempDir, waitFor, type TempDir } from '../test-support';
import { createEnrollment, startAgentProcess, startConsoleProcess, stopProcess, waitForHost, type FleetProcess } from '../test-support/fleet';
import { ImpostorConsole } from '../test-support/fleet-impostor';
import { guardCheck } from '../test-support/guard';
import { newNonce, signCommand } from './fleet-signing';

const isolateCommand = (hostId: number, source: string, { expiresInMs = 60_000 } = {}): FleetCommand => ({
  nonce: newNonce(),
  hostId,
  issuedAt: new Date().toISOString(),
  expiresAt: new Date(Date.now() + expiresInMs).toISOString(),
  action: { kind: 'isolate', source, reason: 'impostor test', actor: 'user:admin', until: null },
});

const guardFor = async (agent: FleetProcess, source: string) => (await guardCheck(agent.port, { headers: { 'x-real-ip': source } })).status;

describe('an agent trusts only the console it enrolled with', () => {
  let tmp: TempDir;
  let consoleProcess: FleetProcess | null = null;
  let agent: FleetProcess | null = null;
  let impostor: ImpostorConsole | null = null;
  let hostId: number;
  let consolePort: number;
  let consoleKey: KeyObject;

  beforeAll(async () => {
    tmp = makeTempDir('vigil-fleet-commands-');
    consoleProcess = await startConsoleProcess({ dataDir: tmp.join('console') });
    consolePort = consoleProcess.port;
    const token = await createEnrollment(consolePort, { labels: {}, uses: 1, expiresInMinutes: 5 });
    agent = await startAgentProcess({ dataDir: tmp.join('agent'), consolePort, token, name: 'edge1' });
    hostId = (await waitForHost(consolePort, 'edge1', (h) => h.connected, 'connected')).id;
    // The test plays a console that stole the real key's file, to send commands the real console never would.
    consoleKey = loadCheckpointKey(path.join(consoleProcess.dataDir, 'fleet', 'console.key'), { create: false })!.privateKey;
    await stopProcess(consoleProcess);
    consoleProcess = null;
  }, 120_000);

  afterAll(async () => {
    await impostor?.close();
    await Promise.all([stopProcess(consoleProcess), stopProcess(agent)]);
    tmp.remove();
  });

  it('says nothing to a console that cannot sign its challenge with the pinned key', { timeout: 60_000 }, async () => {
    impostor = await ImpostorConsole.listen(consolePort, generateKeyPairSync('ed25519').privateKey);
    await waitFor(() => impostor!.agentLeft, { timeoutMs: 40_000, what: 'the agent to hang up on the impostor' });
    expect(impostor.hellos).toEqual([]);
    await impostor.close();
    impostor = null;
  });

  it('refuses a forged, a replayed, an expired and a misaddressed command, and carries out a genuine one', { timeout: 60_000 }, async () => {
    impostor = await ImpostorConsole.listen(consolePort, consoleKey);
    const link = await waitFor(() => impostor!.agent, { timeoutMs: 40_000, what: 'the agent to say hello' });
    const send = (command: FleetCommand, key: KeyObject = consoleKey) => {
      link.emit(FLEET_EVENTS.command, { command, signature: signCommand(key, command) });
      return impostor!.resultFor(command.nonce);
    };

    const forged = isolateCommand(hostId, '203.0.113.10');
    expect(await send(forged, generateKeyPairSync('ed25519').privateKey)).toEqual({
      nonce: forged.nonce,
      ok: false,
      error: 'not signed by the enrolled console',
    });

    const genuine = isolateCommand(hostId, '203.0.113.11');
    expect(await send(genuine)).toEqual({ nonce: genuine.nonce, ok: true });
    expect(await guardFor(agent!, '203.0.113.11')).toBe(403);

    // The same bytes again: a captured command played back.
    impostor.results.length = 0;
    link.emit(FLEET_EVENTS.command, { command: genuine, signature: signCommand(consoleKey, genuine) });
    expect(await impostor.resultFor(genuine.nonce)).toEqual({ nonce: genuine.nonce, ok: false, error: 'replayed' });

    const expired = isolateCommand(hostId, '203.0.113.12', { expiresInMs: -1000 });
    expect(await send(expired)).toEqual({ nonce: expired.nonce, ok: false, error: 'expired' });
    const misaddressed = isolateCommand(hostId + 1, '203.0.113.13');
    expect(await send(misaddressed)).toEqual({ nonce: misaddressed.nonce, ok: false, error: `addressed to host ${hostId + 1}` });

    for (const refused of ['203.0.113.10', '203.0.113.12', '203.0.113.13']) expect(await guardFor(agent!, refused)).toBe(204);
  });
});
