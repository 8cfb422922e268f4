import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ADMIN, SCREENSHOT_DIR, WORKER_PORT } from './support/console';
import { addBouncer, ensureFirstAdmin, signIn } from './support/actions';

async function saveScreenshot(page: Page, name: string): Promise<void> {
  if (!SCREENSHOT_DIR) return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.getByTestId('panel-bouncers').screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}

test.beforeEach(async ({ request }) => {
  await ensureFirstAdmin(request);
});

test('a bouncer that pulls the decision stream shows in the Bouncers table with its version and status', async ({ page, playwright }, testInfo) => {
  const name = `edge-fw-${testInfo.repeatEachIndex}`;
  const key = addBouncer(name);
  const machine = await playwright.request.newContext({ baseURL: `http://127.0.0.1:${WORKER_PORT}` });
  const pull = async (startup: boolean) =>
    (
      await machine.get(`/api/v1/decisions/stream?startup=${startup}`, { headers: { 'x-api-key': key, 'user-agent': 'crowdsec-firewall-bouncer/v0.0.25' } })
    ).status();
  // The first pull of a key made a moment ago makes the worker read the bouncers again.
  await expect.poll(() => pull(true)).toBe(200);
  await pull(false);

  await signIn(page, ADMIN.username, ADMIN.password);
  await page.goto('/defense');
  const row = page.getByTestId('bouncer-table').locator('tr', { has: page.getByText(name, { exact: true }) });
  // Written by the worker every 5 s, read by the table every 5 s.
  await expect(row).toContainText('v0.0.25 (crowdsec-firewall-bouncer)', { timeout: 20_000 });
  await expect(row).toContainText('127.0.0.1');
  await expect(row.getByTestId('bouncer-status')).toHaveText('ok');
  await expect(row.getByTestId('bouncer-last-pull')).toContainText(/just now|\ds ago/);
  await row.scrollIntoViewIfNeeded();
  await saveScreenshot(page, 'bouncers-1440');
  await page.setViewportSize({ width: 390, height: 844 });
  await row.scrollIntoViewIfNeeded();
  // On a phone the table fits: where and what move under the name instead of off to the right.
  await expect(row.getByText(/127\.0\.0\.1 · v0\.0\.25/)).toBeVisible();
  const table = page.getByTestId('bouncer-table');
  await expect.poll(() => table.evaluate((element) => element.parentElement!.scrollWidth - element.parentElement!.clientWidth)).toBeLessThanOrEqual(0);
  await saveScreenshot(page, 'bouncers-390');
  await machine.dispose();
});
