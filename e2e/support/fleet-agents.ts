import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { WORKER_PORT } from './console';
import { csrfHeaders } from './actions';

export interface RunningAgent {
  name: string;
  port: number;
  dataDir: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** An admin API token made in the console the way an administrator makes one (Admin → tokens), for the worker's machine API. */
export async function createFleetToken(page: Page): Promise<string> {
  const created = await page.request.post('/api/tokens', {
    data: { name: `fleet-e2e-${Date.now()}`, role: 'admin', scopes: ['fleet:write'] },
    headers: await csrfHeaders(page),
  });
  expect(created.ok(), await created.text()).toBe(true);
  return ((await created.json()) as { token: { secret: string } }).token.secret;
}

/** `POST /api/v1/fleet/enrollments` on the console's worker, as an operator's script would. */
export async function createEnrollment(page: Page, apiToken: string, labels: Record<string, string>): Promise<string> {
  const answer = await page.request.post(`http://127.0.0.1:${WORKER_PORT}/api/v1/fleet/enrollments`, {
    data: { labels, uses: 1, expiresInMinutes: 10 },
    headers: { authorization: `Bearer ${apiToken}` },
  });
  expect(answer.status(), await answer.text()).toBe(201);
  return ((await answer.json()) as { token: string }).token;
}

/** `vigil agent` as an operator starts it on another host: its own data directory and port, reporting to the run's console. */
export async function startAgent({ name, token, config }: { name: string; token: string; config?: string }): Promise<RunningAgent> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `vigil-e2e-agent-${name}-`));
  // The agent's own config file, as its host keeps it; none by default.
  if (config !== undefined) writeFileSync(path.join(dataDir, 'vigil.config.yaml'), config);
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    VIGIL_DATA_DIR: dataDir,
    VIGIL_CONFIG: path.join(dataDir, 'vigil.config.yaml'),
    WORKER_PORT: String(port),
    WORKER_HOST: '127.0.0.1',
    VIGIL_CONSOLE_URL: `http://127.0.0.1:${WORKER_PORT}`,
    VIGIL_ENROLLMENT_TOKEN: token,
    VIGIL_AGENT_NAME: name,
    VIGIL_FLEET_HEARTBEAT_MS: '1000',
    VIGIL_SAMPLE_INTERVAL_MS: '1000',
    VIGIL_INTEGRITY_SELF: 'false',
    LOG_LEVEL: 'warn',
  };
  delete env.DATABASE_URL;
  delete env.VIGIL_ADMIN_PASSWORD;
  delete env.VIGIL_API_TOKEN;
  const log = path.join(dataDir, 'agent.log');
  const out = openSync(log, 'a');
  const child = spawn(process.execPath, ['scripts/vigil.mjs', 'agent'], { cwd: process.cwd(), env, stdio: ['ignore', out, out] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await expect
    .poll(
      async () => {
        if (child.exitCode !== null) throw new Error(`agent ${name} exited (${child.exitCode}): ${readFileSync(log, 'utf8').slice(-2000)}`);
        return fetch(`http://127.0.0.1:${port}/healthz`).then(
          (response) => response.status,
          () => 0,
        );
      },
      { timeout: 90_000, message: `agent ${name} answers /healthz` },
    )
    .toBe(200);
  return {
    name,
    port,
    dataDir,
    child,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
