import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket as ServerSocket } from 'socket.io';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VANTAGE_EVENTS, type VantageAssignment, type VantageResult } from '@/lib/fleet/vantage-api';
import { moduleSchema } from '@/lib/healing/module-schema';
import { ProbePacer } from '../healing/probe-pacer';
import { silentLogger, waitFor } from '../test-support';
import { VantageAgent } from './vantage-agent';
import { signAssignment, vantageResultSignedBy } from './vantage-signing';

const HOST_ID = 7;
const consoleKey = generateKeyPairSync('ed25519');
const agentKey = generateKeyPairSync('ed25519');
const pem = (key: typeof consoleKey.publicKey) => key.export({ type: 'spki', format: 'pem' }).toString();

/** An agent as a vantage point on a real socket.io link, its results collected as the console receives them. */
describe('an agent as a vantage point', () => {
  let server: HttpServer;
  let target: HttpServer;
  let ioServer: Server;
  let toAgent: ServerSocket;
  let client: Socket;
  let agent: VantageAgent;
  const results: VantageResult[] = [];
  let version = Date.now();

  const definition = (name: string) =>
    moduleSchema.parse({ name, kind: 'http', url: `http://127.0.0.1:${(target.address() as AddressInfo).port}/`, intervalSeconds: 1, timeoutSeconds: 1 });
  const assign = (names: string[], { key = consoleKey.privateKey, hostId = HOST_ID, at = ++version } = {}) => {
    const assignment = JSON.parse(JSON.stringify({ hostId, version: at, modules: names.map(definition) })) as VantageAssignment;
    toAgent.emit(VANTAGE_EVENTS.assign, { assignment, signature: signAssignment(key, assignment) });
  };
  /**
   * The modules the agent answered for from now until `expected` had three more answers: with a
   * 1 s interval, a module taken on meanwhile would have had its first probe (within one interval).
   */
  const answeredFor = async (expected: string): Promise<string[]> => {
    const from = results.length;
    await waitFor(() => results.slice(from).filter((result) => result.module === expected).length >= 3 || undefined, {
      what: `three more answers for ${expected}`,
    });
    return [...new Set(results.slice(from).map((result) => result.module))].sort();
  };

  beforeAll(async () => {
    target = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    server = createServer();
    ioServer = new Server(server);
    const connected = new Promise<ServerSocket>((resolve) => ioServer.on('connection', resolve));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = io(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { transports: ['websocket'] });
    agent = new VantageAgent({
      hostId: HOST_ID,
      consolePublicKey: pem(consoleKey.publicKey),
      agentKey: agentKey.privateKey,
      pacer: new ProbePacer({ audit: { append: async () => undefined }, log: silentLogger() }),
      searchPath: '',
      log: silentLogger(),
    });
    agent.attach(client);
    toAgent = await connected;
    toAgent.on(VANTAGE_EVENTS.result, ({ result, signature }: { result: VantageResult; signature: string }) => {
      // Only what the agent's key signed is kept: an unsigned answer would leave its module missing.
      if (vantageResultSignedBy(pem(agentKey.publicKey), result, signature)) results.push(result);
    });
  });

  afterAll(async () => {
    agent?.stop();
    client?.close();
    await new Promise<void>((resolve) => void ioServer?.close(() => resolve()));
    await new Promise((resolve) => target?.close(resolve));
  });

  it('probes what the console assigned, each answer signed with its key', { timeout: 30_000 }, async () => {
    assign(['shop']);
    const first = await waitFor(() => results.find((result) => result.module === 'shop'), { what: 'an answer for shop' });
    expect(first).toMatchObject({ hostId: HOST_ID, status: 'up', error: null, kind: null });
    expect(first.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('refuses an assignment signed by another key, addressed to another host, or older than the one in force', { timeout: 30_000 }, async () => {
    assign(['forged'], { key: generateKeyPairSync('ed25519').privateKey });
    assign(['elsewhere'], { hostId: HOST_ID + 1 });
    assign(['stale'], { at: 1 });
    expect(await answeredFor('shop')).toEqual(['shop']);
    // A genuine newer one replaces the list.
    assign(['api']);
    await waitFor(() => results.find((result) => result.module === 'api'), { what: 'an answer for api' });
    expect(await answeredFor('api')).toEqual(['api']);
  });
});
