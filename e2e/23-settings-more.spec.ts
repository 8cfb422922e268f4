import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { sendJsonResponse, startStubHttpServer, type StubHttpServer } from '../server/test-support/stub-http-server';
import { ADMIN, SCREENSHOT_DIR, WORKER_PORT } from './support/console';
import { ensureFirstAdmin, signIn } from './support/actions';
import { checkLayout, LAYOUTS, THEMES } from './support/layouts';

// A header value is a credential like the webhook's URL: the browser must never get it back.
const HEADER_SECRET = 'Bearer e2e-header-secret-7c41';

let receiver: StubHttpServer;
let lists: StubHttpServer;
let workDir: string;
let credential: string;

test.beforeAll(async ({ request }) => {
  await ensureFirstAdmin(request);
  // One loopback receiver answering as each service's API does when it accepts a message.
  receiver = await startStubHttpServer((request, res) => {
    if (request.path.endsWith('/sendMessage')) return sendJsonResponse(res, 200, { ok: true, result: { message_id: 1 } });
    if (request.path === '/1/messages.json') return sendJsonResponse(res, 200, { status: 1, request: 'r' });
    if (request.path === '/v2/enqueue') return sendJsonResponse(res, 202, { status: 'success', dedup_key: 'k' });
    if (request.path === '/v2/alerts') return sendJsonResponse(res, 202, { result: 'Request will be processed', requestId: 'r' });
    return sendJsonResponse(res, 200, {});
  });
  const served: Record<string, string> = { '/feed.txt': '# feed\n198.51.100.0/24\n203.0.113.7\n', '/with-loopback.txt': '198.51.100.0/24\n127.0.0.1\n' };
  lists = await startStubHttpServer((request, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(served[request.path] ?? ''));
  workDir = mkdtempSync(path.join(os.tmpdir(), 'vigil-e2e-settings-more-'));
  credential = path.join(workDir, 'credential');
  writeFileSync(credential, 'e2e-credential-123\n');
});

test.afterAll(async () => {
  await receiver?.close();
  await lists?.close();
  rmSync(workDir, { recursive: true, force: true });
});

async function openSettings(page: Page) {
  await signIn(page, ADMIN.username, ADMIN.password);
  await page.goto('/settings');
  await expect(page.getByTestId('settings-notifications')).toBeVisible();
}

/** Adds a row and answers it by its place, which later rows do not change. */
async function addChannel(panel: Locator, kind: string, name: string): Promise<Locator> {
  const rows = panel.getByTestId('channel-row');
  const at = await rows.count();
  await panel.getByRole('button', { name: 'Add channel' }).click();
  const row = rows.nth(at);
  await row.getByLabel('Kind').selectOption(kind);
  await row.getByLabel('Name', { exact: true }).fill(name);
  return row;
}

/** A credential read from a file at each delivery: the console stores where it is, not what it is. */
async function fromFile(row: Locator, label: string) {
  await row.getByLabel(`${label}: read from`).selectOption('file');
  await row.getByLabel(`${label}: file`).fill(credential);
}

test('every channel kind is set in the browser, and each delivers a test to its receiver', async ({ page }) => {
  await openSettings(page);
  const panel = page.getByTestId('settings-notifications');

  const hook = await addChannel(panel, 'webhook', 'ops-hook');
  await hook.getByLabel(/^URL/).fill(`${receiver.url}/hook`);
  await hook.getByRole('button', { name: 'Add header' }).click();
  await hook.getByLabel('Header value').fill(HEADER_SECRET);
  await hook.getByLabel(/^Body template/).fill('{"text": "{{nope}}"}');
  await expect(hook.getByTestId('field-problem')).toContainText('unknown placeholder {{nope}}');
  await expect(panel.getByRole('button', { name: 'Save notification channels' })).toBeDisabled();
  await hook.getByLabel(/^Body template/).fill('{"text": "{{summary}}", "n": {{count}}}');
  await expect(hook.getByTestId('field-problem')).toHaveCount(0);

  const telegram = await addChannel(panel, 'telegram', 'tg');
  await fromFile(telegram, 'Bot token');
  await telegram.getByLabel('Chat id').fill('-100123');
  await telegram.getByLabel('API URL').fill(receiver.url);
  const pushover = await addChannel(panel, 'pushover', 'push');
  await fromFile(pushover, 'Application token');
  await fromFile(pushover, 'User key');
  await pushover.getByLabel('API URL').fill(receiver.url);
  const pagerduty = await addChannel(panel, 'pagerduty', 'pager');
  await pagerduty.getByLabel('Routing key: variable').fill('not a variable');
  await expect(pagerduty.getByTestId('field-problem')).toHaveText('the name of an environment variable');
  await fromFile(pagerduty, 'Routing key');
  await pagerduty.getByLabel('API URL').fill(receiver.url);
  const opsgenie = await addChannel(panel, 'opsgenie', 'genie');
  await fromFile(opsgenie, 'API key');
  await opsgenie.getByLabel('API URL').fill(receiver.url);
  const alertmanager = await addChannel(panel, 'alertmanager', 'am');
  await alertmanager.getByLabel('Alertmanager URLs').fill(receiver.url);
  await alertmanager.getByLabel(/^Labels added to every alert/).fill('team=ops, oncall');
  await expect(alertmanager.getByText('“oncall” is not name=value')).toBeVisible();
  await alertmanager.getByLabel(/^Labels added to every alert/).fill('team=ops');
  await alertmanager.getByLabel('Sign in with').selectOption('basic');
  await alertmanager.getByRole('textbox', { name: /^User name/ }).fill('vigil');
  await alertmanager.getByLabel('Password variable').fill('not a variable');
  await expect(alertmanager.getByText('the name of an environment variable')).toBeVisible();
  await alertmanager.getByLabel('Sign in with').selectOption('none');
  // What every channel shares: the notifications it takes, retries and its time limit.
  await hook.getByLabel('reminders').uncheck();
  await hook.getByLabel('Retries after a failure').fill('11');
  await expect(hook.getByTestId('field-problem')).toHaveText(/<=10/);
  await hook.getByLabel('Retries after a failure').fill('0');
  await hook.getByLabel('Time limit per attempt (seconds)').fill('5');

  await panel.getByRole('button', { name: 'Save notification channels' }).click();
  await expect(page.getByTestId('settings-notifications-origin')).toHaveText('set in the console');
  await expect(hook.getByLabel('Header value')).not.toHaveValue(HEADER_SECRET);

  const expected: [Locator, RegExp][] = [
    [hook, /^\/hook$/],
    [telegram, /^\/bote2e-credential-123\/sendMessage$/],
    [pushover, /^\/1\/messages\.json$/],
    [pagerduty, /^\/v2\/enqueue$/],
    [opsgenie, /^\/v2\/alerts$/],
    [alertmanager, /^\/api\/v2\/alerts$/],
  ];
  for (const [row, where] of expected) {
    const before = receiver.requests.length;
    await row.getByRole('button', { name: 'Send test' }).click();
    await expect(row.getByTestId('channel-test-result')).toHaveText('Delivered (1 attempt)');
    expect(receiver.requests.slice(before).map((r) => r.path)).toEqual([expect.stringMatching(where)]);
  }
  expect(receiver.requests.find((r) => r.path === '/hook')?.headers.authorization).toBe(HEADER_SECRET);
  expect(receiver.requests.find((r) => r.path === '/api/v2/alerts')?.body).toContain('"team":"ops"');
  type Sections = { sections: { section: string; value: { channels: Record<string, unknown>[] } }[] };
  const inForce = ((await (await page.request.get('/api/settings')).json()) as Sections).sections.find((s) => s.section === 'notifications')!;
  expect(inForce.value.channels.find((c) => c.name === 'ops-hook')).toMatchObject({ kinds: ['alert', 'critical', 'recovery'], retries: 0, timeoutSeconds: 5 });
  const settings = await page.request.get('/api/settings');
  expect(await settings.text()).not.toContain(HEADER_SECRET);
  expect(await page.content()).not.toContain(HEADER_SECRET);
});

test('a blocklist set in the browser is refused when hostile, read at once when not, and enforced at the guard', async ({ page }) => {
  await openSettings(page);
  const panel = page.getByTestId('settings-defense');
  const save = panel.getByRole('button', { name: 'Save defense' });
  await panel.getByLabel('Thresholds multiplied by').fill('2');
  await expect(panel.getByTestId('field-problem')).toHaveText(/less than or equal to 1|<=1/);
  await panel.getByLabel('Thresholds multiplied by').fill('0.5');
  await panel.getByLabel('First isolation (hours)').fill('2');

  await panel.getByRole('button', { name: 'Add blocklist' }).click();
  const row = panel.getByTestId('blocklist-row').last();
  await row.getByLabel('List name').fill('console-feed');
  await row.getByLabel('List URL').fill('ftp://127.0.0.1/feed.txt');
  await expect(row.getByTestId('field-problem')).toHaveText('must be an http(s) URL');
  await expect(save).toBeDisabled();
  await row.getByLabel('List URL').fill(`${lists.url}/with-loopback.txt`);
  await save.click();
  await expect(panel.getByTestId('form-error')).toContainText('console-feed covers 127.0.0.0/8 (loopback)');
  await expect(page.getByTestId('settings-defense-origin')).toHaveText('from vigil.config.yaml');

  await row.getByLabel('List URL').fill(`${lists.url}/feed.txt`);
  await save.click();
  await expect(page.getByTestId('settings-defense-origin')).toHaveText('set in the console');
  type Sections = { sections: { section: string; value: { isolation: { baseHours: number } } }[] };
  const defense = ((await (await page.request.get('/api/settings')).json()) as Sections).sections.find((s) => s.section === 'defense')!;
  expect(defense.value.isolation.baseHours).toBe(2);

  await page.goto('/defense');
  const list = page.getByTestId('panel-blocklists').locator('[data-testid="blocklist"][data-name="console-feed"]');
  await expect(list.getByTestId('blocklist-entries')).toHaveText('2');
  const guard = (client: string) =>
    page.request.get(`http://127.0.0.1:${WORKER_PORT}/guard/check`, { headers: { 'x-forwarded-for': client } }).then((r) => r.status());
  expect(await guard('198.51.100.9')).toBe(403);
  expect(await guard('203.0.113.8')).toBe(204);
});

test('list rows move with the keyboard, and the focus follows the row', async ({ page }) => {
  await openSettings(page);
  const panel = page.getByTestId('settings-snapshots');
  const names = () => panel.getByLabel('Source name').evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
  await panel.getByRole('button', { name: 'Add source' }).click();
  const before = await names();
  const [first, added] = before.slice(-2);
  const rest = before.slice(0, -2);
  await panel.getByRole('button', { name: `Move down (source ${first})` }).focus();
  await page.keyboard.press('Enter');
  expect(await names()).toEqual([...rest, added, first]);
  // The moved row is last now: its Move up has the focus, so Enter takes it back.
  await expect(panel.getByRole('button', { name: `Move up (source ${first})` })).toBeFocused();
  await page.keyboard.press('Enter');
  expect(await names()).toEqual(before);
  await expect(panel.getByRole('button', { name: `Move down (source ${first})` })).toBeFocused();
  await panel.getByRole('button', { name: `Remove source ${added}` }).press('Enter');
  expect(await names()).toEqual(before.slice(0, -1));
  await expect(panel.getByRole('button', { name: 'Save snapshot sources and schedule' })).toBeDisabled();
});

for (const layout of LAYOUTS) {
  for (const theme of THEMES) {
    test(`the new editors fit ${layout.name} px wide in ${theme}, with no serious accessibility violation`, async ({ browser }) => {
      const dir = SCREENSHOT_DIR ?? test.info().outputPath('screens');
      mkdirSync(dir, { recursive: true });
      await checkLayout(browser, layout, theme, async (page) => {
        await openSettings(page);
        await expect(page.getByTestId('channel-row')).toHaveCount(6);
        await expect(page.getByTestId('blocklist-row')).toHaveCount(1);
      }).then(async (page) => {
        await page.screenshot({ path: path.join(dir, `settings-more-${layout.name}-${theme}.png`), fullPage: true });
        await page.context().close();
      });
    });
  }
}

test('reverting puts the file’s channels and defense back in force', async ({ page }) => {
  await openSettings(page);
  for (const section of ['notifications', 'defense']) {
    await page.getByTestId(`settings-${section}`).getByRole('button', { name: 'Revert to file' }).click();
    await expect(page.getByTestId(`settings-${section}-origin`)).toHaveText('from vigil.config.yaml');
  }
  await expect(page.getByTestId('channel-row')).toHaveCount(0);
  const guard = await page.request.get(`http://127.0.0.1:${WORKER_PORT}/guard/check`, { headers: { 'x-forwarded-for': '198.51.100.9' } });
  expect(guard.status()).toBe(204);
});

test('the drill schedule and the risk forecast are set in the browser, checked as typed', async ({ page }) => {
  await openSettings(page);
  const drills = page.getByTestId('settings-drills');
  await expect(page.getByTestId('settings-drills-origin')).toHaveText('from vigil.config.yaml');
  await drills.getByLabel('Run every (hours)').fill('12');
  for (const scenario of ['kill', 'http-500', 'latency', 'hang', 'disk-full']) await drills.getByLabel(scenario, { exact: true }).uncheck();
  await expect(page.getByTestId('settings-drills-problems')).toContainText('drills.scenarios');
  await expect(drills.getByRole('button', { name: 'Save drill schedule' })).toBeDisabled();
  await drills.getByLabel('latency', { exact: true }).check();
  await drills.getByRole('button', { name: 'Save drill schedule' }).click();
  await expect(page.getByTestId('settings-drills-origin')).toHaveText('set in the console');

  const forecast = page.getByTestId('settings-forecast');
  await forecast.getByLabel('Recompute every (seconds)').fill('2');
  await expect(forecast.getByTestId('field-problem')).toHaveText(/>=5/);
  await forecast.getByLabel('Recompute every (seconds)').fill('15');
  await forecast.getByLabel('restart-budget').check();
  await forecast.getByRole('button', { name: 'Save risk forecast' }).click();
  await expect(page.getByTestId('settings-forecast-origin')).toHaveText('set in the console');

  type Sections = { sections: { section: string; value: Record<string, unknown> }[] };
  const sections = ((await (await page.request.get('/api/settings')).json()) as Sections).sections;
  expect(sections.find((s) => s.section === 'drills')?.value).toEqual({ everyHours: 12, scenarios: ['latency'], harder: false });
  expect(sections.find((s) => s.section === 'forecast')?.value).toMatchObject({ cycleSeconds: 15, autoApply: ['restart-budget'] });
  // Back to the file, so the specs after this one see the forecast and drills they expect.
  for (const name of ['drills', 'forecast']) {
    await page.getByTestId(`settings-${name}`).getByRole('button', { name: 'Revert to file' }).click();
    await expect(page.getByTestId(`settings-${name}-origin`)).toHaveText('from vigil.config.yaml');
  }
});
