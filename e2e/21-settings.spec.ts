import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ADMIN } from './support/console';
import { ensureFirstAdmin, signIn } from './support/actions';
import { checkEveryLayout } from './support/layouts';

// The path of a webhook URL is its credential: the browser must never get it back.
const HOOK_TOKEN = 'hook-token-5f1d8e2a9c';

let receiver: Server;
let receiverUrl: string;
const received: string[] = [];
let workDir: string;

test.beforeAll(async ({ request }) => {
  await ensureFirstAdmin(request);
  receiver = createServer((req, res) => {
    received.push(req.url ?? '');
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  workDir = mkdtempSync(path.join(os.tmpdir(), 'vigil-e2e-settings-'));
});

test.afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  rmSync(workDir, { recursive: true, force: true });
});

async function openSettings(page: Page) {
  await signIn(page, ADMIN.username, ADMIN.password);
  await page.goto('/settings');
  await expect(page.getByTestId('settings-notifications')).toBeVisible();
}

test('an admin adds a webhook channel, sees the schema’s message as they type, and a test reaches the receiver', async ({ page }) => {
  await openSettings(page);
  const panel = page.getByTestId('settings-notifications');
  await expect(page.getByTestId('settings-notifications-origin')).toHaveText('from vigil.config.yaml');
  await panel.getByRole('button', { name: 'Add channel' }).click();
  await panel.getByLabel('Name').fill('ops-hook');
  await panel.getByLabel(/^URL/).fill('ftp://not-a-webhook');
  await expect(panel.getByTestId('field-problem')).toHaveText('must be an http(s) URL');
  await expect(panel.getByRole('button', { name: 'Save notification channels' })).toBeDisabled();

  await panel.getByLabel(/^URL/).fill(`${receiverUrl}/hook/${HOOK_TOKEN}`);
  await expect(panel.getByTestId('field-problem')).toHaveCount(0);
  await panel.getByRole('button', { name: 'Save notification channels' }).click();
  await expect(page.getByTestId('settings-notifications-origin')).toHaveText('set in the console');
  await expect(panel.getByLabel(/^URL/)).not.toHaveValue(new RegExp(HOOK_TOKEN));

  await panel.getByRole('button', { name: 'Send test' }).click();
  await expect(panel.getByTestId('channel-test-result')).toHaveText('Delivered (1 attempt)');
  expect(received).toEqual([`/hook/${HOOK_TOKEN}`]);

  // The page as loaded afresh never holds the token either.
  await page.reload();
  await expect(page.getByTestId('settings-notifications-origin')).toHaveText('set in the console');
  expect(await page.content()).not.toContain(HOOK_TOKEN);
  const settings = await page.request.get('/api/settings');
  expect(await settings.text()).not.toContain(HOOK_TOKEN);

  const audit = await page.request.get('/api/audit?type=config.section_changed');
  const body = await audit.text();
  expect(body).toContain('config.section_changed');
  expect(body).not.toContain(HOOK_TOKEN);
});

test('a snapshot source saved in the console is one the worker snapshots', async ({ page }) => {
  const source = path.join(workDir, 'site');
  mkdirSync(source);
  writeFileSync(path.join(source, 'index.html'), '<h1>hello</h1>\n');
  await openSettings(page);
  const panel = page.getByTestId('settings-snapshots');
  await panel.getByRole('button', { name: 'Add source' }).click();
  const row = panel.getByTestId('snapshot-source-row').last();
  await row.getByLabel('Source name').fill('console-site');
  await row.getByLabel('Path').fill(source);
  await panel.getByLabel('Take snapshots on a schedule').check();
  await panel.getByLabel('Every (minutes)').fill('2');
  await expect(panel.getByTestId('field-problem')).toHaveText(/greater than or equal to 5|>=5/);
  await panel.getByLabel('Every (minutes)').fill('60');
  await panel.getByRole('button', { name: 'Save snapshot sources and schedule' }).click();
  await expect(page.getByTestId('settings-snapshots-origin')).toHaveText('set in the console');
  await expect
    .poll(async () => ((await (await page.request.get('/api/snapshots')).json()) as { sources: { name: string; path: string }[] }).sources)
    .toContainEqual({ name: 'console-site', path: source });
});

test('an integrity path saved in the console is watched at once, and reverting brings back the file’s sections', async ({ page }) => {
  const watched = path.join(workDir, 'etc');
  mkdirSync(watched);
  writeFileSync(path.join(watched, 'app.conf'), 'listen 80\n');
  await openSettings(page);
  const panel = page.getByTestId('settings-integrity');
  await panel.getByRole('button', { name: 'Add path' }).click();
  await panel.getByTestId('integrity-path-row').last().getByLabel('Path').fill(watched);
  await panel.getByRole('button', { name: 'Save integrity paths' }).click();
  await expect(page.getByTestId('settings-integrity-origin')).toHaveText('set in the console');

  type Integrity = { roots: { path: string }[]; scanning: boolean; realtime: { active: boolean }; recentFindings: { path: string }[] };
  const integrity = async () => (await (await page.request.get('/api/integrity')).json()) as Integrity;
  await expect
    .poll(async () => {
      const status = await integrity();
      return status.roots.some((root) => root.path === watched) && !status.scanning && status.realtime.active;
    })
    .toBe(true);
  writeFileSync(path.join(watched, 'app.conf'), 'listen 8080\n');
  await expect.poll(async () => (await integrity()).recentFindings.some((finding) => finding.path.startsWith(watched))).toBe(true);

  await panel.getByRole('button', { name: 'Revert to file' }).click();
  await expect(page.getByTestId('settings-integrity-origin')).toHaveText('from vigil.config.yaml');
  await expect.poll(async () => (await integrity()).roots.some((root) => root.path === watched)).toBe(false);

  const notifications = page.getByTestId('settings-notifications');
  await notifications.getByRole('button', { name: 'Revert to file' }).click();
  await expect(page.getByTestId('settings-notifications-origin')).toHaveText('from vigil.config.yaml');
  await expect(notifications.getByTestId('channel-row')).toHaveCount(0);
});

test('log sources, escalation and detector thresholds are checked as typed and put in force in the worker', async ({ page }) => {
  const logFile = path.join(workDir, 'access.log');
  writeFileSync(logFile, '');
  await openSettings(page);
  type Sections = { sections: { section: string; origin: string; value: Record<string, unknown> }[] };
  const inForce = async (section: string) =>
    ((await (await page.request.get('/api/settings')).json()) as Sections).sections.find((s) => s.section === section)!;

  const logs = page.getByTestId('settings-logs');
  await logs.getByRole('button', { name: 'Add log file' }).click();
  await logs.getByLabel('Log file').fill(logFile);
  await logs.getByLabel('Format').selectOption('nginx');
  await logs.getByRole('button', { name: 'Save log sources' }).click();
  await expect(page.getByTestId('settings-logs-origin')).toHaveText('set in the console');
  expect((await inForce('logs')).value.files).toEqual([{ path: logFile, format: 'nginx', patterns: [], fromStart: false }]);

  const escalation = page.getByTestId('settings-escalation');
  await escalation.getByLabel('Notify after (minutes)').fill('0');
  await escalation.getByLabel('Restart after (minutes)').fill('3');
  await expect(escalation.getByTestId('field-problem')).toHaveText('levels must come in order: restart ≤ notify ≤ critical ≤ human');
  await expect(escalation.getByRole('button', { name: 'Save escalation' })).toBeDisabled();
  await escalation.getByLabel('Notify after (minutes)').fill('7');
  await escalation.getByRole('button', { name: 'Save escalation' }).click();
  await expect(page.getByTestId('settings-escalation-origin')).toHaveText('set in the console');
  expect((await inForce('escalation')).value).toMatchObject({ restartAfterMinutes: 3, notifyAfterMinutes: 7 });

  const detectors = page.getByTestId('settings-defense');
  await detectors.getByLabel('brute-force: signals').fill('0');
  await expect(detectors.getByTestId('field-problem')).toHaveText(/greater than or equal to 1|>=1/);
  await detectors.getByLabel('brute-force: signals').fill('3');
  await detectors.getByRole('button', { name: 'Save defense' }).click();
  await expect(page.getByTestId('settings-defense-origin')).toHaveText('set in the console');
  const scenarios = (await inForce('defense')).value.scenarios as { name: string; capacity: number }[];
  expect(scenarios.find((s) => s.name === 'brute-force')?.capacity).toBe(3);

  for (const section of ['logs', 'escalation', 'defense', 'snapshots']) {
    await page.getByTestId(`settings-${section}`).getByRole('button', { name: 'Revert to file' }).click();
    await expect(page.getByTestId(`settings-${section}-origin`)).toHaveText('from vigil.config.yaml');
  }
});

test('the settings page fits a phone and a desktop, light and dark, with no serious accessibility violation', async ({ browser }) => {
  await checkEveryLayout(
    browser,
    async (page) => {
      await openSettings(page);
      await expect(page.getByTestId('settings-defense')).toBeVisible();
    },
    (page, { layout, theme }) => page.screenshot({ path: test.info().outputPath(`settings-${layout}-${theme}.png`), fullPage: true }).then(() => undefined),
  );
});
