import type { KeyObject } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import path from 'node:path';
import { Server, type Socket } from 'socket.io';
import { FLEET_EVENTS, FLEET_NAMESPACE } from '@/lib/fleet/fleet-api';
import { FLEET_CONFIG_EVENTS } from '@/lib/fleet/fleet-config-api';
import { loadCheckpointKey } from '../audit/checkpoint-key';
import { newNonce, signChallenge } from '../fleet/fleet-signing';
import { startConsoleWithAgent, stopProcess, type FleetProcess } from './fleet';
import type { TempDir } from './temp-dir';
import { waitFor } from './wait';

export interface CommandResult {
  nonce: string | null;
  ok: boolean;
  error?: string;
  commandId?: string;
  status?: string;
  message?: string;
}

/** Whoever answers on the console's address after the console is gone: a socket.io server speaking the fleet protocol. */
export class ImpostorConsole {
  readonly hellos: unknown[] = [];
  readonly results: CommandResult[] = [];
  /** Answers to configuration pushes, from every connection the agent made. */
  readonly configAcks: unknown[] = [];
  /** The connection of the last agent to say hello, whichever host it is. */
  agent: Socket | null = null;
  /** Each host's newest connection: with several agents about, the one a test means. */
  readonly agents = new Map<number, Socket>();
  agentLeft = false;
  private readonly http: HttpServer;
  private readonly io: Server;

  private constructor(challengeKey: KeyObject) {
    this.http = createServer();
    this.io = new Server(this.http);
    this.io.of(FLEET_NAMESPACE).on('connection', (socket) => {
      const nonce = newNonce();
      socket.on(FLEET_EVENTS.hello, (hello: unknown) => {
        this.hellos.push(hello);
        this.agent = socket;
        const hostId = (hello as { hostId?: unknown } | null)?.hostId;
        if (typeof hostId === 'number') this.agents.set(hostId, socket);
      });
      socket.on(FLEET_EVENTS.commandResult, (result: CommandResult) => this.results.push(result));
      socket.on(FLEET_CONFIG_EVENTS.ack, (ack: unknown) => this.configAcks.push(ack));
      socket.on('disconnect', () => (this.agentLeft = true));
      socket.emit(FLEET_EVENTS.challenge, { nonce, signature: signChallenge(challengeKey, nonce) });
    });
  }

  static async listen(port: number, challengeKey: KeyObject): Promise<ImpostorConsole> {
    const impostor = new ImpostorConsole(challengeKey);
    await new Promise<void>((resolve, reject) => {
      impostor.http.once('error', reject);
      impostor.http.listen(port, '127.0.0.1', () => resolve());
    });
    return impostor;
  }

  async resultFor(nonce: string): Promise<CommandResult> {
    return waitFor(() => this.results.find((result) => result.nonce === nonce), { timeoutMs: 10_000, what: `the agent's answer to ${nonce}` });
  }

  close(): Promise<void> {
    return new Promise((resolve) => void this.io.close(() => resolve()));
  }
}

/** An agent enrolled to a genuine console that is then gone, with an impostor holding a stolen copy of the console's key on its address. */
export interface AgentBehindImpostor {
  tmp: TempDir;
  /** A test that restarts the agent puts the new process here, so that `close` stops that one. */
  agent: FleetProcess;
  hostId: number;
  consolePort: number;
  consoleKey: KeyObject;
  impostor: ImpostorConsole;
  /** Stops the impostor and the agent and removes the directory. */
  close(): Promise<void>;
}

/** One agent (`edge1`) enrolled under a fresh temporary directory named from `prefix`, then left talking to an impostor console. */
export async function agentBehindImpostor(prefix: string): Promise<AgentBehindImpostor> {
  const { tmp, consoleProcess, agent, hostId } = await startConsoleWithAgent(prefix);
  try {
    const consoleKey = loadCheckpointKey(path.join(consoleProcess.dataDir, 'fleet', 'console.key'), { create: false })!.privateKey;
    await stopProcess(consoleProcess);
    const impostor = await ImpostorConsole.listen(consoleProcess.port, consoleKey);
    const setup: AgentBehindImpostor = {
      tmp,
      agent,
      hostId,
      consolePort: consoleProcess.port,
      consoleKey,
      impostor,
      close: async () => {
        await impostor.close();
        await stopProcess(setup.agent);
        tmp.remove();
      },
    };
    return setup;
  } catch (error) {
    await Promise.all([stopProcess(consoleProcess), stopProcess(agent)]);
    tmp.remove();
    throw error;
  }
}
