import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { request, type Agent } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createEnrollment, waitForHost, type FleetProcess } from './fleet';
import { findFreePort, waitForHttp } from './http';
import { createBridgedNetwork, type BridgedHost, type BridgedNetwork } from './netns-bridge';
import { spawnTs, type RunningProcess } from './processes';
import { waitFor } from './wait';
import { workerEnvVars } from './worker-env';

/** Each agent has a namespace, so a port of its own: the same number everywhere. */
const AGENT_PORT = 7080;

export interface NetnsAgent {
  name: string;
  host: BridgedHost;
  process: FleetProcess;
  /** The agent's guard, at its own address. */
  guardUrl: string;
}

export interface NetnsFleet {
  network: BridgedNetwork;
  console: FleetProcess;
  agents: NetnsAgent[];
  /** Namespaces that only send requests (an attacker, a benign client), each from its own address. */
  clients: BridgedHost[];
  /** kill -9: no goodbye to the agents, no clean close of the database. */
  killConsole(): Promise<void>;
  /** On the same port and data directory, as a supervisor would bring it back. */
  restartConsole(): Promise<void>;
  /** Stops every process and removes every namespace, link and the bridge; safe to repeat. */
  destroy(): Promise<void>;
}

async function started(running: RunningProcess, port: number, dataDir: string, host?: string): Promise<FleetProcess> {
  await waitForHttp(port, { host, timeoutMs: 60_000, isAlive: () => running.child.exitCode === null && running.child.signalCode === null }).catch(
    (error: Error) => {
      running.kill('SIGKILL');
      throw new Error(`${error.message}; stderr: ${running.stderr()}`);
    },
  );
  return { port, dataDir, running };
}

/**
 * The console listens on every address: the agents reach it over the bridge, the test's own
 * helpers over loopback.
 */
async function startConsole(dataDir: string, port: number, databaseUrl?: string, config?: string): Promise<FleetProcess> {
  mkdirSync(dataDir, { recursive: true });
  if (config) writeFileSync(path.join(dataDir, 'vigil.config.yaml'), config);
  const vars = { WORKER_PORT: String(port), WORKER_HOST: '0.0.0.0', LOG_LEVEL: 'warn' };
  return started(spawnTs('server/main.ts', { env: workerEnvVars({ dataDir, databaseUrl, vars }) }), port, dataDir);
}

async function startAgent(host: BridgedHost, name: string, dataDir: string, consoleUrl: string, token: string, config?: string): Promise<NetnsAgent> {
  mkdirSync(dataDir, { recursive: true });
  if (config) writeFileSync(path.join(dataDir, 'vigil.config.yaml'), config);
  const vars = {
    WORKER_PORT: String(AGENT_PORT),
    WORKER_HOST: host.address,
    LOG_LEVEL: 'warn',
    VIGIL_CONSOLE_URL: consoleUrl,
    VIGIL_ENROLLMENT_TOKEN: token,
    VIGIL_AGENT_NAME: name,
    VIGIL_FLEET_HEARTBEAT_MS: '500',
  };
  const running = spawnTs('server/cli/main.ts', { args: ['agent'], env: workerEnvVars({ dataDir, vars }), wrapper: host.wrapper });
  const process = await started(running, AGENT_PORT, dataDir, host.address);
  return { name, host, process, guardUrl: `http://${host.address}:${AGENT_PORT}/guard/check` };
}

/**
 * A console worker on this machine and `agents` workers (`vigil agent`), each in its own network
 * namespace with its own address, connected to the console over the bridge, plus `clients` bare
 * namespaces to send requests from. Fails, never skips, without root and iproute2. Everything is
 * torn down by destroy(), which the caller must run even when the test fails (afterAll).
 */
export async function startNetnsFleet({
  dataDir,
  agents: names,
  clients = 2,
  config,
  agentConfig = config,
  databaseUrl,
}: {
  dataDir: string;
  agents: string[];
  clients?: number;
  /** vigil.config.yaml of the console and, unless `agentConfig` says otherwise, of the agents. */
  config?: string;
  /** Or made from this machine's address on the bridge (to trust it as a proxy, say). */
  agentConfig?: string | ((bridgeAddress: string) => string);
  databaseUrl?: string;
}): Promise<NetnsFleet> {
  const network = await createBridgedNetwork(names.length + clients);
  const stops: FleetProcess[] = [];
  const stopAll = async () => {
    for (const p of stops) p.running.kill('SIGKILL');
    await Promise.all(stops.map((p) => p.running.exited));
  };
  const destroy = async () => {
    await stopAll();
    await network.destroy();
  };
  try {
    const consoleDir = path.join(dataDir, 'console');
    const consolePort = await findFreePort();
    const fleet = {
      network,
      console: await startConsole(consoleDir, consolePort, databaseUrl, config),
      agents: [] as NetnsAgent[],
      clients: network.hosts.slice(names.length),
      destroy,
      async killConsole() {
        fleet.console.running.kill('SIGKILL');
        await fleet.console.running.exited;
      },
      async restartConsole() {
        fleet.console = await startConsole(consoleDir, consolePort, databaseUrl, config);
        stops.push(fleet.console);
      },
    };
    stops.push(fleet.console);
    const token = await createEnrollment(consolePort, { labels: { net: 'netns' }, uses: names.length, expiresInMinutes: 10 });
    const consoleUrl = `http://${network.address}:${consolePort}`;
    fleet.agents = await Promise.all(
      names.map((name, i) =>
        startAgent(
          network.hosts[i],
          name,
          path.join(dataDir, name),
          consoleUrl,
          token,
          typeof agentConfig === 'function' ? agentConfig(network.address) : agentConfig,
        ),
      ),
    );
    stops.push(...fleet.agents.map((agent) => agent.process));
    for (const name of names) await waitForHost(consolePort, name, (host) => host.connected, 'connected', 60_000);
    return fleet;
  } catch (error) {
    await destroy();
    throw error;
  }
}

/**
 * One GET of an agent's guard from this machine, as a proxy on the bridge would ask it; with a
 * keep-alive `agent`, over the connection it keeps open, as nginx does with an upstream keepalive.
 */
export function guardStatus(url: string, headers: Record<string, string> = {}, agent: Agent | false = false): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

const POLLER_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'netns-poller.mjs');

/**
 * A poller started inside `client`'s namespace, ready before it is told to go: `go()` resolves
 * with the status and the time (epoch ms) of the first refusal of `url`.
 */
export async function pollerIn(client: BridgedHost, url: string): Promise<{ go(): Promise<{ status: number; at: number }>; stop(): void }> {
  const [program, ...args] = [...client.wrapper, process.execPath, POLLER_SCRIPT, url];
  const child = spawn(program, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  await waitFor(() => out.startsWith('ready\n') || child.exitCode !== null, { timeoutMs: 60_000, what: `the poller in ${client.name} to start` });
  if (!out.startsWith('ready\n')) throw new Error(`the poller in ${client.name} ended: ${err}`);
  return {
    async go() {
      child.stdin.write('go\n');
      const code = await exited;
      if (code !== 0) throw new Error(`the poller in ${client.name} ended with ${code}: ${err}`);
      return JSON.parse(out.slice('ready\n'.length)) as { status: number; at: number };
    },
    stop: () => child.kill('SIGKILL'),
  };
}
