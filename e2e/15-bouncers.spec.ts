import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ADMIN, consoleState, SCREENSHOT_DIR, WORKER_PORT } from './support/console';
import { ensureFirstAdmin, signIn } from './support/actions';

/** `vigil bouncer add` on the run's data directory, as an operator runs it on the worker's host. */
function addBouncer(name: string): string {
  const { dataDir } = consoleState();
  const env: NodeJS.ProcessEnv = { ...process.env, VIGIL_DATA_DIR: dataDir, WORKER_PORT: String(WORKER_PORT), LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  const out = execFileSync(process.execPath, ['scripts/vigil.mjs', 'bouncer', 'add', name, '--output', path.join(dataDir, `${name}.yaml`)], {
    env,
    encoding: 'utf8',
  });
  return /^\s+(vgl_\S+)$/m.exec(out)![1];
}

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
