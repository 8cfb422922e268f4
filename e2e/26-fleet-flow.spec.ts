import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { HostView } from '@/lib/fleet/fleet-api';
import { httpStatusesFrom } from '@/server/test-support/netns';
import { createBridgedNetwork, type BridgedHost, type BridgedNetwork } from '@/server/test-support/netns-bridge';
import { spawnNode, type RunningProcess } from '@/server/test-support/processes';
import { workerEnvVars } from '@/server/test-support/worker-env';
import { ADMIN, consoleState, WORKER_PORT, workerPid } from './support/console';
import { ensureFirstAdmin, signIn } from './support/actions';
import { createEnrollment, createFleetToken } from './support/fleet-agents';
import { checkEveryLayout } from './support/layouts';

/** Three agents, each in its own network namespace; the console is this run's, reached over the bridge. */
const NAMES = ['flow1', 'flow2', 'flow3'] as const;
/** Each agent has a namespace, so a port of its own: the same number everywhere. */
const AGENT_PORT = 7080;
const AGENT_TOKEN = 'vgl_e2e_flow_agent_token_0123456789abcdef';
const MODULE = 'app';
const SHOTS = path.join('test-results', 'fleet-flow');

interface FlowAgent {
  name: (typeof NAMES)[number];
  host: BridgedHost;
  running: RunningProcess;
  url: string;
}

let network: BridgedNetwork;
let attacker: BridgedHost;
let tmp: string;
const agents: FlowAgent[] = [];

/** A supervised service inside the agent's namespace, so a restart from the console restarts a real process there. */
function agentConfig(dir: string, address: string): string {
  const script = path.join(dir, 'app.cjs');
  writeFileSync(script, `require('node:http').createServer((q, s) => s.end('ok')).listen(8080, ${JSON.stringify(address)});\n`);
  return [
    'modules:',
    `  - name: ${MODULE}`,
    '    kind: process',
    `    command: ${JSON.stringify([process.execPath, script])}`,
    `    readyUrl: http://${address}:8080/`,
    '    intervalSeconds: 2',
    '',
  ].join('\n');
}

/** `vigil agent` inside its namespace, listening on its own address, enrolling with `token` on first start. */
async function startFlowAgent(name: FlowAgent['name'], host: BridgedHost, token: string): Promise<FlowAgent> {
  const dataDir = path.join(tmp, name);
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(path.join(dataDir, 'vigil.config.yaml'), agentConfig(dataDir, host.address));
  const vars = {
    WORKER_PORT: String(AGENT_PORT),
    WORKER_HOST: host.address,
    // Connections, hellos and commands are logged at info: what a failure's report shows.
    LOG_LEVEL: 'info',
    VIGIL_CONSOLE_URL: `http://${network.address}:${WORKER_PORT}`,
    VIGIL_ENROLLMENT_TOKEN: token,
    VIGIL_AGENT_NAME: name,
    VIGIL_FLEET_HEARTBEAT_MS: '1000',
    VIGIL_SAMPLE_INTERVAL_MS: '1000',
  };
  const running = spawnNode(['scripts/vigil.mjs', 'agent'], { env: workerEnvVars({ dataDir, apiToken: AGENT_TOKEN, vars }), wrapper: host.wrapper });
  const url = `http://${host.address}:${AGENT_PORT}`;
  await expect
    .poll(
      async () => {
        if (running.child.exitCode !== null) throw new Error(`agent ${name} exited: ${running.stderr().slice(-2000)}`);
        return fetch(`${url}/healthz`).then(
          (answer) => answer.status,
          () => 0,
        );
      },
      { timeout: 120_000, message: `agent ${name} answers /healthz` },
    )
    .toBe(200);
  return { name, host, running, url };
}

/** The agent's own machine API, with the admin token it was started with. */
async function agentApi<T>(agent: FlowAgent, route: string, init: { method?: string; json?: unknown } = {}): Promise<T> {
  const answer = await fetch(`${agent.url}${route}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${AGENT_TOKEN}`, ...(init.json !== undefined && { 'content-type': 'application/json' }) },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  const text = await answer.text();
  if (!answer.ok) throw new Error(`${route} on ${agent.name} answered ${answer.status}: ${text}`);
  return JSON.parse(text) as T;
}

const restartsOf = async (agent: FlowAgent) =>
  (await agentApi<Array<{ name: string; restarts: number }>>(agent, '/api/v1/modules')).find((m) => m.name === MODULE)?.restarts;
/** What `agent`'s own guard answers a request coming from the attacker's address. */
const guardFromAttacker = async (agent: FlowAgent) => (await httpStatusesFrom(attacker, `${agent.url}/guard/check`))[0];

async function hosts(page: Page): Promise<HostView[]> {
  const answer = await page.request.get('/api/fleet/hosts');
  expect(answer.status()).toBe(200);
  return (await answer.json()) as HostView[];
}

/** The hosts, or none while the web app's connection is being re-established (a kept-alive socket the server closed is reset). */
const hostsOrNone = (page: Page) => hosts(page).catch((): HostView[] => []);

const row = (page: Page, name: string) => page.locator(`[data-testid="fleet-host-row"][data-host-name="${name}"]`);

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ request }) => {
  await ensureFirstAdmin(request);
  tmp = mkdtempSync(path.join(os.tmpdir(), 'vigil-e2e-flow-'));
  network = await createBridgedNetwork(NAMES.length + 1);
  attacker = network.hosts[NAMES.length];
});

test.afterAll(async () => {
  for (const agent of agents) agent.running.kill('SIGKILL');
  await Promise.all(agents.map((agent) => agent.running.exited));
  await network?.destroy();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

// A failure here is about processes the report does not otherwise show: print what each agent
// and the console logged, so the cause is in the CI output and not only on the machine.
test.afterEach(async ({}, testInfo) => {
  if (testInfo.status === testInfo.expectedStatus) return;
  for (const agent of agents) console.log(`--- agent ${agent.name} (stderr, last 4,000 characters)\n${agent.running.stderr().slice(-4000)}`);
  console.log(`--- console (last 6,000 characters)\n${readFileSync(consoleState().logFile, 'utf8').slice(-6000)}`);
});

test('three agents in their own namespaces enroll and appear on the fleet page, each with its module', async ({ page }) => {
  test.setTimeout(300_000);
  await signIn(page, ADMIN.username, ADMIN.password);
  const apiToken = await createFleetToken(page);
  const tokens = await Promise.all(NAMES.map((name, i) => createEnrollment(page, apiToken, { site: i < 2 ? 'fra' : 'ams', flow: name })));
  agents.push(...(await Promise.all(NAMES.map((name, i) => startFlowAgent(name, network.hosts[i], tokens[i])))));

  await page.goto('/fleet');
  for (const name of NAMES) {
    await expect(row(page, name)).toHaveAttribute('data-state', 'connected', { timeout: 90_000 });
    await expect(row(page, name).getByTestId('fleet-host-health')).toHaveText(/^\d+$/, { timeout: 60_000 });
  }
  // The heartbeat names the module, so the page can offer it.
  await expect
    .poll(async () => (await hosts(page)).filter((host) => NAMES.includes(host.name as FlowAgent['name'])).map((host) => host.status?.modules), {
      timeout: 60_000,
    })
    .toEqual([[MODULE], [MODULE], [MODULE]]);
  for (const agent of agents) await expect.poll(() => restartsOf(agent), { timeout: 60_000 }).toBe(0);
});

test('an operator restarts a module on one host from the page; it succeeds there and nowhere else', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, ADMIN.username, ADMIN.password);
  await page.goto('/fleet');
  await row(page, 'flow2').getByTestId('fleet-host-command').click();
  const dialog = page.getByTestId('host-command-dialog');
  await dialog.getByTestId('fleet-command-kind').selectOption('restart-module');
  await dialog.getByTestId('fleet-command-module').selectOption(MODULE);
  await dialog.getByTestId('fleet-command-reason').fill('stuck after the deploy');
  await dialog.getByTestId('fleet-command-send').click();
  await expect(dialog).toHaveCount(0);

  const command = page
    .getByTestId('fleet-command')
    .filter({ hasText: `Restart ${MODULE}` })
    .first();
  await expect(command.getByTestId('fleet-command-host')).toHaveCount(1);
  await expect(command.locator('[data-testid="fleet-command-host"][data-host-name="flow2"]')).toHaveAttribute('data-status', 'succeeded', { timeout: 60_000 });
  await expect(command.getByTestId('fleet-command-summary')).toHaveText('1/1 succeeded');
  await expect.poll(() => restartsOf(agents[1]), { timeout: 30_000 }).toBe(1);
  expect(await restartsOf(agents[0])).toBe(0);
  expect(await restartsOf(agents[2])).toBe(0);
});

test('a source isolated fleet-wide from the page is refused by each agent’s own guard', async ({ page }) => {
  test.setTimeout(180_000);
  for (const agent of agents) expect(await guardFromAttacker(agent)).toBe(204);
  await signIn(page, ADMIN.username, ADMIN.password);
  await page.goto('/fleet');
  const form = page.getByTestId('fleet-selection-form');
  await page.getByTestId('fleet-scope-fleet').check();
  await form.getByTestId('fleet-command-kind').selectOption('isolate');
  await form.getByTestId('fleet-command-source').fill(attacker.address);
  await form.getByTestId('fleet-command-duration').fill('60');
  await form.getByTestId('fleet-command-reason').fill('credential stuffing on every edge');
  await form.getByTestId('fleet-command-send').click();

  const command = page
    .getByTestId('fleet-command')
    .filter({ hasText: `Isolate ${attacker.address}` })
    .first();
  for (const name of NAMES)
    await expect(command.locator(`[data-testid="fleet-command-host"][data-host-name="${name}"]`)).toHaveAttribute('data-status', 'succeeded', {
      timeout: 60_000,
    });
  for (const agent of agents) await expect.poll(() => guardFromAttacker(agent), { timeout: 15_000 }).toBe(403);
});

test('with the console killed, agents keep refusing; what they record meanwhile arrives after the restart, scoped to its host', async ({ page }) => {
  test.setTimeout(300_000);
  await signIn(page, ADMIN.username, ADMIN.password);
  await page.goto('/fleet');
  await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'live');
  const ids = new Map((await hosts(page)).map((host) => [host.name, host.id]));

  const pid = workerPid();
  const killedAt = Date.now();
  process.kill(pid, 'SIGKILL');
  await expect(page.getByTestId('offline-banner')).toBeVisible({ timeout: 20_000 });
  // The gap: each agent still enforces the fleet's decision, and records a decision of its own.
  const gapSources = new Map<string, string>();
  for (const [i, agent] of agents.entries()) {
    expect(await guardFromAttacker(agent)).toBe(403);
    const source = `198.51.100.${70 + i}`;
    gapSources.set(agent.name, source);
    await agentApi(agent, '/api/v1/isolations', {
      method: 'POST',
      json: { source, duration: 600, reason: `recorded on ${agent.name} while the console was down` },
    });
  }
  for (const agent of agents) expect(await guardFromAttacker(agent)).toBe(403);

  // The launcher brings the worker back; the page reconnects by itself, and the agents with it.
  await expect(page.getByTestId('offline-banner')).toBeHidden({ timeout: 90_000 });
  await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'live');
  expect(workerPid()).not.toBe(pid);
  await expect
    .poll(
      async () =>
        (await hostsOrNone(page))
          .filter((host) => NAMES.includes(host.name as FlowAgent['name']) && host.connected && host.lastSeen !== null && Date.parse(host.lastSeen) > killedAt)
          .map((host) => host.name)
          .sort(),
      { timeout: 90_000, message: 'every agent reporting to the restarted console' },
    )
    .toEqual([...NAMES]);
  for (const name of NAMES) await expect(row(page, name)).toHaveAttribute('data-state', 'connected');

  for (const agent of agents) {
    const hostId = ids.get(agent.name)!;
    await expect
      .poll(
        async () => {
          const answer = await page.request.get(`/api/audit?host=${hostId}&limit=200`).catch(() => null);
          if (answer?.status() !== 200) return [];
          const { events } = (await answer.json()) as { events: Array<{ hostId?: number; reason?: string | null }> };
          return events.filter((event) => event.reason === `recorded on ${agent.name} while the console was down`).map((event) => event.hostId);
        },
        { timeout: 60_000, message: `${agent.name}'s isolation of ${gapSources.get(agent.name)} in the console's audit trail` },
      )
      .toContainEqual(hostId);
    expect(await guardFromAttacker(agent)).toBe(403);
  }
});

test('the fleet page with its commands at 1440 and 390, light and dark: fits, accessible', async ({ browser }) => {
  test.setTimeout(300_000);
  mkdirSync(SHOTS, { recursive: true });
  await checkEveryLayout(
    browser,
    async (page) => {
      await signIn(page, ADMIN.username, ADMIN.password);
      await page.goto('/fleet');
      await expect(row(page, 'flow1')).toHaveAttribute('data-state', 'connected');
      await expect(page.getByTestId('fleet-command').first()).toBeVisible();
    },
    async (page, { layout, theme }) => {
      await page.screenshot({ path: path.join(SHOTS, `fleet-${layout}-${theme}.png`), fullPage: true });
      await row(page, 'flow3').getByTestId('fleet-host-command').click();
      await page.getByTestId('host-command-dialog').getByTestId('fleet-command-kind').selectOption('snapshot-restore');
      await page.screenshot({ path: path.join(SHOTS, `host-command-${layout}-${theme}.png`) });
    },
  );
});
