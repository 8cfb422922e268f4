import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { ADMIN, consoleState, SCREENSHOT_DIR } from './support/console';
import { ensureFirstAdmin } from './support/actions';

// A new operator's first hour, in the browser only: a monitored module, a channel that delivered
// a test, a verified golden snapshot of a new source, and a shared audit view of all of it.
const MODULE = 'onboard-shop';
const CHANNEL = 'onboard-hook';
const SOURCE = 'onboard-docs';
const SNAPSHOT = 'onboard-golden';
const SHARE_TITLE = 'onboard: first hour of the new operator';
/** What each step leaves in the audit trail, under the operator's name. */
const STEPS = ['module.defined', 'config.section_changed', 'notification.sent', 'snapshot.created', 'snapshot.verified'];
const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

interface Delivery {
  url: string;
  body: string;
}

async function listening(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function closed(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

const shotPath = (file: string) => (SCREENSHOT_DIR ? path.join(SCREENSHOT_DIR, file) : test.info().outputPath(file));

async function expectNoOverflow(page: Page, what: string): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${what}: horizontal overflow`).toBeLessThanOrEqual(0);
}

/**
 * The whole page at 1440×900; with `onPhone`, also that part of the page at 390×844 (a whole
 * settings page on a phone is several screens tall: the step's panel is what there is to look at).
 */
async function shoot(page: Page, name: string, onPhone?: Locator): Promise<void> {
  await page.screenshot({ path: shotPath(`new-operator-${name}-1440.png`), fullPage: true });
  await expectNoOverflow(page, `${name} at 1440px`);
  if (!onPhone) return;
  await page.setViewportSize(PHONE);
  await expectNoOverflow(page, `${name} at 390px`);
  await onPhone.screenshot({ path: shotPath(`new-operator-${name}-390.png`) });
  await page.setViewportSize(DESKTOP);
}

async function expectOnScreen(target: Locator, viewport: typeof PHONE): Promise<void> {
  await expect(target).toBeVisible();
  const box = (await target.boundingBox())!;
  expect(box.x, 'left edge').toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, 'right edge').toBeLessThanOrEqual(viewport.width);
}

async function openSection(page: Page, label: string, url: RegExp): Promise<void> {
  await page.getByRole('link', { name: label, exact: true }).first().click();
  await expect(page).toHaveURL(url);
}

const fingerprint = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

let workDir: string;
let service: Server;
let serviceUrl: string;
let receiver: Server;
let receiverUrl: string;
const deliveries: Delivery[] = [];

test.beforeAll(async ({ request }) => {
  // The administrator is the one 01-first-run creates; created here only when this spec runs alone.
  await ensureFirstAdmin(request);
  workDir = mkdtempSync(path.join(os.tmpdir(), 'vigil-e2e-onboard-'));
  service = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('shop ok'));
  serviceUrl = await listening(service);
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      deliveries.push({ url: req.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  receiverUrl = await listening(receiver);
});

test.afterAll(async () => {
  await closed(service);
  await closed(receiver);
  rmSync(workDir, { recursive: true, force: true });
});

test('a new operator goes from sign-in to a monitored module, a tested channel, a verified golden snapshot and a shared audit view, all in the browser', async ({
  browser,
}) => {
  const configFile = path.join(consoleState().dataDir, 'vigil.config.yaml');
  const configBefore = fingerprint(configFile);
  const docs = path.join(workDir, 'docs');
  mkdirSync(docs);
  writeFileSync(path.join(docs, 'runbook.md'), '# When the shop is down\n');
  writeFileSync(path.join(docs, 'contacts.txt'), 'on-call: ops\n');

  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();

  // Sign in by the form's visible labels.
  await page.goto('/login');
  await page.getByLabel('User name').fill(ADMIN.username);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('current-user')).toContainText(ADMIN.username);

  // 1. A monitored module: an HTTP check of the loopback service, defined in the Healing section.
  await openSection(page, 'Healing', /\/healing$/);
  await page.getByRole('button', { name: 'Define module', exact: true }).click();
  const define = page.getByRole('dialog');
  await expect(define.getByRole('textbox', { name: 'Name' })).toBeFocused();
  await page.keyboard.type(MODULE);
  await define.getByRole('combobox', { name: 'Kind' }).selectOption('http');
  await define.getByRole('textbox', { name: /^URL/ }).fill(`${serviceUrl}/health`);
  await define.getByRole('textbox', { name: 'Check every (seconds)' }).fill('1');
  await shoot(page, 'module-form', define);
  await define.getByRole('button', { name: 'Define', exact: true }).click();
  await expect(define).toBeHidden();
  const moduleRow = page.getByTestId('module-table').locator('tr', { has: page.getByText(MODULE, { exact: true }) });
  await expect(moduleRow.getByTestId('module-state')).toHaveText('up');
  await shoot(page, 'module-up', page.getByTestId('module-table'));

  // 2. A webhook channel to the loopback receiver, saved in Settings, then a test through it.
  await openSection(page, 'Settings', /\/settings$/);
  const channels = page.getByTestId('settings-notifications');
  await channels.getByRole('button', { name: 'Add channel', exact: true }).click();
  const channelRow = channels.getByTestId('channel-row').last();
  await channelRow.getByLabel('Name').fill(CHANNEL);
  await channelRow.getByLabel(/^URL/).fill(`${receiverUrl}/hooks/onboard`);
  await channels.getByRole('button', { name: 'Save notification channels', exact: true }).click();
  await expect(page.getByTestId('settings-notifications-origin')).toHaveText('set in the console');
  await channelRow.getByRole('button', { name: 'Send test', exact: true }).click();
  await expect(channelRow.getByTestId('channel-test-result')).toHaveText('Delivered (1 attempt)');
  expect(deliveries.map((d) => d.url)).toEqual(['/hooks/onboard']);
  expect(deliveries[0].body.toLowerCase()).toContain('test');
  await shoot(page, 'channel-delivered', channels);

  // 3. A snapshot source: the operator's docs folder, added beside the sources already protected.
  const snapshotsPanel = page.getByTestId('settings-snapshots');
  await snapshotsPanel.getByRole('button', { name: 'Add source', exact: true }).click();
  const sourceRow = snapshotsPanel.getByTestId('snapshot-source-row').last();
  await sourceRow.getByLabel('Source name').fill(SOURCE);
  await sourceRow.getByLabel('Path').fill(docs);
  await snapshotsPanel.getByRole('button', { name: 'Save snapshot sources and schedule', exact: true }).click();
  await expect(page.getByTestId('settings-snapshots-origin')).toHaveText('set in the console');
  await shoot(page, 'snapshot-source', snapshotsPanel);

  // 4. A golden snapshot taken in Recovery, then verified there.
  await openSection(page, 'Recovery', /\/recovery$/);
  await page.getByRole('button', { name: 'Create snapshot', exact: true }).click();
  const create = page.getByRole('dialog', { name: 'Create a snapshot' });
  // The dialog names what it will hash: the new source is among them, in force without a restart.
  await expect(create).toContainText(SOURCE);
  await create.getByLabel(/^Name/).fill(SNAPSHOT);
  await create.getByRole('combobox', { name: 'Tag' }).selectOption('golden');
  await create.getByRole('button', { name: /^Create/ }).click();
  await expect(create).toBeHidden();
  const snapshotRow = page.getByTestId('snapshot-table').locator('tr', { has: page.getByText(SNAPSHOT, { exact: true }) });
  await expect(snapshotRow).toContainText('golden');
  await snapshotRow.getByRole('button', { name: 'Verify', exact: true }).click();
  await expect(snapshotRow.getByTestId('verification-state')).toContainText('verified');
  await expect(page.getByTestId('verify-outcome')).toContainText('every blob matches');
  await shoot(page, 'snapshot-verified', page.getByTestId('panel-recovery'));
  // On a phone the row's own actions are on screen, not behind a sideways scroll of the table.
  await page.setViewportSize(PHONE);
  for (const action of ['Verify', 'Golden restore']) await expectOnScreen(snapshotRow.getByRole('button', { name: action, exact: true }), PHONE);
  await expect(snapshotRow).toContainText('golden');
  // The panel's title is read whole, not cut to "GOLDEN R…" by the buttons beside it.
  const title = page.getByTestId('panel-recovery').getByRole('heading', { name: 'Golden recovery' });
  expect(await title.evaluate((heading) => heading.scrollWidth - heading.clientWidth)).toBeLessThanOrEqual(0);
  await page.setViewportSize(DESKTOP);
  // Read back for the assertion: the golden snapshot holds the new source's files.
  const listed = (await (await page.request.get('/api/snapshots')).json()) as { snapshots: { name: string; tags: string[]; files: number }[] };
  const golden = listed.snapshots.find((s) => s.name === SNAPSHOT);
  expect(golden?.tags).toContain('golden');

  // 5. The audit timeline narrowed to the operator's own last minutes, shared read-only.
  await openSection(page, 'Audit', /\/audit/);
  await page.getByLabel('Actor').fill(`user:${ADMIN.username}`);
  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  await page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: '15m', exact: true }).click();
  await expect(page).toHaveURL(/actor=user%3Aadmin|actor=user:admin/);
  await expect(page).toHaveURL(/range=15m/);
  for (const type of STEPS) {
    await expect(page.getByTestId('audit-row').filter({ hasText: type }).first()).toBeVisible();
  }
  await shoot(page, 'audit-filtered');
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  const share = page.getByRole('dialog', { name: 'Share a read-only link to this view' });
  await share.getByLabel(/^Title/).fill(SHARE_TITLE);
  await share.getByRole('button', { name: 'Create link', exact: true }).click();
  const shareUrl = (await share.getByTestId('share-url').textContent())!;
  expect(shareUrl).toMatch(/\/share\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  await shoot(page, 'share-link');
  await share.getByRole('button', { name: 'Done', exact: true }).click();

  const stranger = await browser.newContext({ viewport: DESKTOP });
  const view = await stranger.newPage();
  expect((await view.goto(shareUrl))?.status()).toBe(200);
  await expect(view.getByTestId('current-user')).toHaveCount(0);
  await expect(view.getByRole('heading', { name: SHARE_TITLE })).toBeVisible();
  const shared = view.getByTestId('shared-audit');
  // The link keeps the window the operator saw: opened later, "last 15 minutes" would be other minutes.
  await expect(shared).toContainText(/from: \d{4}-\d\d-\d\dT/);
  await expect(shared).not.toContainText('range: 15m');
  for (const type of STEPS) await expect(shared).toContainText(type);
  await expect(shared).not.toContainText('share.viewed');
  await shoot(view, 'shared-view', shared);
  await stranger.close();

  // No text editor: the config file is byte for byte what it was, yet every step is in force.
  expect(fingerprint(configFile)).toBe(configBefore);

  // Leave the console as the other specs expect it: the file's channels and sources, no extra module.
  await openSection(page, 'Settings', /\/settings$/);
  for (const section of ['notifications', 'snapshots']) {
    await page.getByTestId(`settings-${section}`).getByRole('button', { name: 'Revert to file', exact: true }).click();
    await expect(page.getByTestId(`settings-${section}-origin`)).toHaveText('from vigil.config.yaml');
  }
  await openSection(page, 'Healing', /\/healing$/);
  await moduleRow.getByRole('button', { name: /Delete/ }).click();
  await page.getByTestId('module-delete-dialog').getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(moduleRow).toHaveCount(0);
  await context.close();
});
