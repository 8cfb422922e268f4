import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { ADMIN, SCREENSHOT_DIR, WORKER_PORT } from './support/console';
import { ensureFirstAdmin, signIn, signInAsNewUser } from './support/actions';

const SHIPPED_EVENT = { events: [{ type: 'custom', source: '192.0.2.5' }] };

async function saveScreenshot(page: Page, name: string): Promise<void> {
  if (!SCREENSHOT_DIR) return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

async function shipEvent(machine: APIRequestContext, secret: string): Promise<number> {
  const response = await machine.post('/api/v1/events', { data: SHIPPED_EVENT, headers: { authorization: `Bearer ${secret}` } });
  return response.status();
}

test.beforeEach(async ({ request }) => {
  await ensureFirstAdmin(request);
});

test('an administrator creates an events-only token, a script uses it on the worker, and revoking it locks the script out', async ({
  browser,
  page,
  playwright,
}, testInfo) => {
  // `--repeat-each` reruns on the same console, so users and tokens carry the repetition in their names.
  const run = testInfo.repeatEachIndex;
  const adminName = `ada-admin-12-${run}`;
  const tokenName = `log shipper 12-${run}`;
  await signIn(page, ADMIN.username, ADMIN.password);
  const { context, page: admin } = await signInAsNewUser(browser, page, { username: adminName, password: 'admin passphrase 12', role: 'admin' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  // A script calls the worker with its bearer token only, never with the console's session cookie.
  const machine = await playwright.request.newContext({ baseURL: `http://127.0.0.1:${WORKER_PORT}` });

  await admin.goto('/admin');
  const panel = admin.getByTestId('panel-tokens');
  await panel.getByTestId('new-token-name').fill(tokenName);
  await panel.getByTestId('new-token-role').selectOption('operator');
  await panel.getByTestId('new-token-scoped').check();
  await panel.getByTestId('new-token-scope-events:write').check();
  await saveScreenshot(admin, 'admin-token-scopes');
  await panel.getByTestId('new-token-submit').click();

  const shown = panel.getByTestId('new-token-secret');
  await expect(shown).toContainText('it is not shown again');
  const secret = (await shown.locator('code').textContent()) ?? '';
  expect(secret).toMatch(/^vgl_[\w-]{43}$/);
  await shown.getByTestId('new-token-copy').click();
  await expect(shown.getByTestId('new-token-copy')).toHaveText('Copied');
  expect(await admin.evaluate(() => navigator.clipboard.readText())).toBe(secret);

  const row = panel.locator('tr', { hasText: tokenName });
  await expect(row.getByTestId('token-scope')).toHaveText(['events:write']);
  await expect(row).toContainText('operator');
  await expect(row).toContainText(`by ${adminName}`);
  // Only the type and 4 characters of the secret are kept, enough to tell tokens apart.
  await expect(row).toContainText(`${secret.slice(0, 8)}…`);
  await expect(row).not.toContainText(secret.slice(0, 9));
  await expect(row.getByTestId('token-last-used')).toHaveText('never');
  // At the default 1280 px the tokens panel is half the page: Revoke must still show beside the name, without scrolling sideways.
  await row.getByText(tokenName).scrollIntoViewIfNeeded();
  await expect(row.getByTestId('token-revoke')).toBeInViewport();
  await saveScreenshot(admin, 'admin-token-created');

  await shown.getByRole('button', { name: 'Done' }).click();
  await expect(shown).toBeHidden();
  await admin.reload();
  await expect(row).toBeVisible();
  await expect(shown).toHaveCount(0);
  await expect(admin.getByText(secret)).toHaveCount(0);
  expect(await (await admin.request.get('/api/tokens')).text()).not.toContain(secret);

  expect(await shipEvent(machine, secret)).toBe(202);
  const refused = await machine.get('/api/v1/isolations', { headers: { authorization: `Bearer ${secret}` } });
  expect(refused.status()).toBe(403);
  const { error } = (await refused.json()) as { error: { code: string; message: string } };
  expect(error.code).toBe('forbidden');
  expect(error.message).toContain('isolations:read');

  // The worker writes last-used times in batches every 10 s, so one batch is the wait.
  await expect(async () => {
    await admin.reload();
    await expect(row.getByTestId('token-last-used')).toHaveText(/^(just now|\d+s ago)$/, { timeout: 3000 });
  }).toPass({ timeout: 20_000, intervals: [1000] });

  await row.getByTestId('token-revoke').click();
  const dialog = admin.getByTestId('token-revoke-dialog');
  await expect(dialog).toContainText(`${secret.slice(0, 8)}…`);
  await saveScreenshot(admin, 'admin-token-revoke-dialog');
  await dialog.getByTestId('token-revoke-confirm').click();
  await expect(dialog).toBeHidden();
  await expect(row.getByText('revoked', { exact: true })).toBeVisible();
  await expect(row.getByTestId('token-revoke')).toHaveCount(0);
  await saveScreenshot(admin, 'admin-token-revoked');

  // The worker caches a token for 5 s, so a revocation reaches it within that.
  await expect.poll(() => shipEvent(machine, secret), { timeout: 10_000 }).toBe(401);
  await admin.reload();
  await expect(row.getByText('revoked', { exact: true })).toBeVisible();

  await machine.dispose();
  await context.close();
});

test('on the single-worker SQLite install the workers panel says there is nothing to elect', async ({ page }) => {
  await signIn(page, ADMIN.username, ADMIN.password);
  await page.goto('/admin');
  const workers = page.getByTestId('panel-workers');
  await expect(workers.getByText('one worker: nothing to elect (SQLite, or VIGIL_HA off)')).toBeVisible();
  await expect(workers).toContainText('This installation runs one worker.');
  await expect(workers.locator('table')).toHaveCount(0);
});

test('a viewer opening the admin page is told it is for administrators, and the token API refuses them', async ({ browser, page }, testInfo) => {
  await signIn(page, ADMIN.username, ADMIN.password);
  const { context, page: viewer } = await signInAsNewUser(browser, page, {
    username: `wanda-viewer-12-${testInfo.repeatEachIndex}`,
    password: 'viewer passphrase 12',
    role: 'viewer',
  });
  await viewer.goto('/admin');
  await expect(viewer.getByText('Administrators only')).toBeVisible();
  await expect(viewer.getByTestId('panel-tokens')).toHaveCount(0);
  await expect(viewer.getByTestId('panel-users')).toHaveCount(0);
  expect((await viewer.request.get('/api/tokens')).status()).toBe(403);
  await context.close();
});
