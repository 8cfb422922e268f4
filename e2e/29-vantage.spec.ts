import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ADMIN } from './support/console';
import { seriousAccessibilityViolations } from './support/accessibility';
import { csrfHeaders, ensureFirstAdmin, signIn } from './support/actions';
import { createEnrollment, createFleetToken, startAgent, type RunningAgent } from './support/fleet-agents';
import { checkEveryLayout } from './support/layouts';

// Kept as CI artifacts beside the console's own review.
const SHOTS = path.join('test-results', 'vantage');
const UP = 'shop-vantage';
const DOWN = 'gone-vantage';
const EDITED = 'edited-vantage';

const agents: RunningAgent[] = [];
let target: Server;

const moduleRow = (page: Page, name: string) =>
  page.getByTestId('module-table').locator('tr', { has: page.getByTestId('module-name').getByText(name, { exact: true }) });

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ request }) => {
  await ensureFirstAdmin(request);
  target = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
});

test.afterAll(async () => {
  await Promise.all(agents.map((agent) => agent.stop()));
  await new Promise((resolve) => target?.close(resolve));
});

test('a module probed from two agents and the console shows each vantage point with what it saw', async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page, ADMIN.username, ADMIN.password);
  const apiToken = await createFleetToken(page);
  for (const name of ['vantage-fra', 'vantage-ams'])
    agents.push(await startAgent({ name, token: await createEnrollment(page, apiToken, { probe: 'vantage' }) }));
  const { port } = target.address() as AddressInfo;
  for (const [name, url] of [
    [UP, `http://127.0.0.1:${port}/`],
    // A port nothing listens on: every vantage point sees it refused.
    [DOWN, 'http://127.0.0.1:9/'],
  ]) {
    const defined = await page.request.post('/api/modules', {
      headers: await csrfHeaders(page),
      data: {
        name,
        kind: 'http',
        url,
        intervalSeconds: 2,
        timeoutSeconds: 1,
        observeOnly: true,
        vantage: { labels: { probe: 'vantage' }, includeConsole: true, quorum: 2 },
      },
    });
    expect(defined.ok(), await defined.text()).toBe(true);
  }
  await page.goto('/healing');
  const up = moduleRow(page, UP);
  await expect(up.getByTestId('vantage-point')).toHaveCount(3, { timeout: 60_000 });
  await expect(up.getByTestId('vantage-point').filter({ hasText: /ms$/ })).toHaveCount(3, { timeout: 60_000 });
  await expect(up.getByTestId('module-state')).toHaveText('up');
  const down = moduleRow(page, DOWN);
  await expect(down.getByTestId('vantage-point').filter({ hasText: /down$/ })).toHaveCount(3, { timeout: 60_000 });
  await expect(down.getByTestId('module-state')).toHaveText('down');
  await expect(down.getByTestId('vantage-points')).toContainText('3 of 3 vantage points see it down · quorum 2');
  await expect(page.getByRole('list', { name: `Vantage points of ${UP}` })).toBeVisible();
});

test('vantage set in the module editor, by keyboard, is what the console probes with', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, ADMIN.username, ADMIN.password);
  await page.goto('/healing');
  await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'live');
  await page.getByTestId('module-define-open').click();
  const dialog = page.getByTestId('module-define-dialog');
  await page.getByTestId('module-define-name').fill(EDITED);
  // Nothing listens on port 9: every vantage point sees the target down.
  await page.getByTestId('module-define-url').fill('http://127.0.0.1:9/');
  await page.getByTestId('module-define-interval').fill('2');
  await expect(page.getByTestId('module-vantage-hosts')).toHaveCount(0);
  // From the last URL field the keyboard reaches the vantage switch, then its fields in reading order.
  await page.getByTestId('module-define-ignore-tls-errors').focus();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('module-vantage-enabled')).toBeFocused();
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('module-vantage-hosts')).toBeFocused();
  await page.keyboard.type('vantage-fra');
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('module-vantage-labels')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('module-vantage-console')).toBeFocused();
  await expect(page.getByTestId('module-vantage-console')).toBeChecked();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('module-vantage-quorum')).toBeFocused();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('3');
  // The config file's schema judges it as typed: one named agent and the console cannot make three.
  await expect(dialog.getByTestId('field-issue')).toHaveText('a quorum of 3 cannot be met by 2 vantage point(s)');
  await page.getByTestId('module-define-submit').click();
  await expect(dialog).toBeVisible();
  expect((await page.request.get(`/api/modules/${EDITED}`)).status()).toBe(404);
  await page.getByTestId('module-vantage-hosts').fill('vantage-fra, vantage-ams');
  await expect(dialog.getByTestId('field-issue')).toHaveCount(0);
  await expect(page.getByTestId('module-vantage-sentence')).toContainText('Down when 3 of 3 vantage points see it down');
  await expect(page.getByTestId('module-vantage-now')).toHaveText('Vantage points now: this console, vantage-fra, vantage-ams.');
  expect(await seriousAccessibilityViolations(page), 'the editor with its vantage fields').toEqual([]);
  await page.getByTestId('module-define-submit').click();
  await expect(dialog).toBeHidden();

  const row = moduleRow(page, EDITED);
  await expect(row.getByTestId('vantage-point').filter({ hasText: /down$/ })).toHaveCount(3, { timeout: 60_000 });
  await expect(row.getByTestId('vantage-points')).toContainText('3 of 3 vantage points see it down · quorum 3');
  await expect(row.getByTestId('module-state')).toHaveText('down');

  // Edited: the form opens on the stored vantage; labels instead of names and a lower quorum reach the console.
  await row.getByTestId('module-edit').click();
  await expect(page.getByTestId('module-vantage-enabled')).toBeChecked();
  await expect(page.getByTestId('module-vantage-hosts')).toHaveValue('vantage-fra, vantage-ams');
  await page.getByTestId('module-vantage-hosts').fill('');
  await page.getByTestId('module-vantage-labels').fill('probe=vantage');
  await page.getByTestId('module-vantage-console').uncheck();
  await page.getByTestId('module-vantage-quorum').fill('2');
  await expect(page.getByTestId('module-vantage-sentence')).toContainText('Down when 2 of 2 vantage points see it down');
  await page.getByTestId('module-define-submit').click();
  await expect(dialog).toBeHidden();
  await expect(row.getByTestId('vantage-points')).toContainText('2 of 2 vantage points see it down · quorum 2', { timeout: 60_000 });
  const stored = (await (await page.request.get(`/api/modules/${EDITED}`)).json()) as { vantage: unknown };
  expect(stored.vantage).toEqual({ hosts: [], labels: { probe: 'vantage' }, includeConsole: false, quorum: 2 });
});

test('the vantage points fit a phone and a desktop, light and dark, and are accessible', async ({ browser }) => {
  test.setTimeout(180_000);
  mkdirSync(SHOTS, { recursive: true });
  await checkEveryLayout(
    browser,
    async (page) => {
      await signIn(page, ADMIN.username, ADMIN.password);
      await page.goto('/healing');
      await expect(moduleRow(page, UP).getByTestId('vantage-point')).toHaveCount(3);
      await expect(moduleRow(page, DOWN).getByTestId('vantage-point').filter({ hasText: /down$/ })).toHaveCount(3);
    },
    async (page, { layout, theme }) => {
      await moduleRow(page, DOWN).scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS, `healing-${layout}-${theme}.png`), fullPage: true });
      // The editor's vantage fields, as an operator edits them.
      await moduleRow(page, EDITED).getByTestId('module-edit').click();
      await expect(page.getByTestId('module-vantage-sentence')).toContainText('Down when 2 of 2');
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
      expect(await seriousAccessibilityViolations(page), `editor ${layout} ${theme}`).toEqual([]);
      await page.getByTestId('module-vantage').scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS, `editor-${layout}-${theme}.png`) });
    },
  );
});
