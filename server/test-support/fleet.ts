import { mkdirSync } from 'node:fs';
import type { HostView } from '@/lib/fleet/fleet-api';
import { api, findFreePort, waitForHttp } from './http';
import { spawnTs, type RunningProcess } from './processes';
import { makeTempDir, type TempDir } from './temp-dir';
import { waitFor } from './wait';
import { TEST_API_TOKEN, workerEnvVars } from './worker-env';

export interface FleetProcess {
  port: number;
  dataDir: string;
  running: RunningProcess;
}

async function started(running: RunningProcess, port: number, dataDir: string): Promise<FleetProcess> {
  await waitForHttp(port, { timeoutMs: 60_000, isAlive: () => running.child.exitCode === null && running.child.signalCode === null }).catch((error: Error) => {
    running.kill('SIGKILL');
    throw new Error(`${error.message}; stderr: ${running.stderr()}`);
  });
  return { port, dataDir, running };
}

/** A console worker process (`node --import tsx server/main.ts`); `port` to come back on the same address after a restart. */
export async function startConsoleProcess({
  dataDir,
  databaseUrl,
  port,
  vars = {},
}: {
  dataDir: string;
  databaseUrl?: string;
  port?: number;
  vars?: Record<string, string>;
}): Promise<FleetProcess> {
  mkdirSync(dataDir, { recursive: true });
  const chosen = port ?? (await findFreePort());
  const running = spawnTs('server/main.ts', {
    env: workerEnvVars({ dataDir, databaseUrl, vars: { WORKER_PORT: String(chosen), LOG_LEVEL: 'warn', ...vars } }),
  });
  return started(running, chosen, dataDir);
}

/** An agent as an operator starts one: `vigil agent` with the console's URL and, on first start, a token. */
export async function startAgentProcess({
  dataDir,
  consolePort,
  consolePorts = [consolePort],
  token,
  name,
}: {
  dataDir: string;
  consolePort: number;
  /** Every console replica the agent may use, tried in this order. */
  consolePorts?: number[];
  token?: string;
  name: string;
}): Promise<FleetProcess> {
  mkdirSync(dataDir, { recursive: true });
  const port = await findFreePort();
  const vars = {
    WORKER_PORT: String(port),
    LOG_LEVEL: 'warn',
    VIGIL_CONSOLE_URL: consolePorts.map((each) => `http://127.0.0.1:${each}`).join(','),
    VIGIL_ENROLLMENT_TOKEN: token,
    VIGIL_AGENT_NAME: name,
    VIGIL_FLEET_HEARTBEAT_MS: '500',
  };
  const running = spawnTs('server/cli/main.ts', { args: ['agent'], env: workerEnvVars({ dataDir, vars }) });
  return started(running, port, dataDir);
}

export async function stopProcess(process: FleetProcess | null | undefined): Promise<void> {
  if (!process) return;
  process.running.kill('SIGTERM');
  await process.running.exited;
}

export async function listHosts(consolePort: number): Promise<HostView[]> {
  const answer = await api<HostView[]>(consolePort, '/api/v1/hosts', { token: TEST_API_TOKEN });
  if (answer.status !== 200) throw new Error(`GET /api/v1/hosts answered ${answer.status}: ${answer.text}`);
  return answer.body;
}

export async function createEnrollment(consolePort: number, body: unknown): Promise<string> {
  const answer = await api<{ token: string }>(consolePort, '/api/v1/fleet/enrollments', { token: TEST_API_TOKEN, json: body });
  if (answer.status !== 201) throw new Error(`POST /api/v1/fleet/enrollments answered ${answer.status}: ${answer.text}`);
  return answer.body.token;
}

/** Resolves with the host once the console lists it by `name` and `accept` holds for it. */
export function waitForHost(consolePort: number, name: string, accept: (host: HostView) => boolean, what: string, timeoutMs = 30_000): Promise<HostView> {
  return waitFor(async () => (await listHosts(consolePort)).find((host) => host.name === name && accept(host)), {
    timeoutMs,
    intervalMs: 50,
    what: `${name} ${what}`,
  });
}

/** A console and one agent enrolled to it (`edge1`, no labels), each in its own directory under a fresh temporary one. */
export async function startConsoleWithAgent(prefix: string): Promise<{ tmp: TempDir; consoleProcess: FleetProcess; agent: FleetProcess; hostId: number }> {
  const tmp = makeTempDir(prefix);
  const consoleProcess = await startConsoleProcess({ dataDir: tmp.join('console') });
  const token = await createEnrollment(consoleProcess.port, { labels: {}, uses: 1, expiresInMinutes: 5 });
  const agent = await startAgentProcess({ dataDir: tmp.join('agent'), consolePort: consoleProcess.port, token, name: 'edge1' });
  const hostId = (await waitForHost(consoleProcess.port, 'edge1', (h) => h.connected, 'connected')).id;
  return { tmp, consoleProcess, agent, hostId };
}
