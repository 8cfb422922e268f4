import { expect, test } from '@playwright/test';
import { ADMIN } from './support/console';
import { ensureFirstAdmin, signIn, signInAsNewUser } from './support/actions';

// The administrator exists whichever specs ran before this one.
test.beforeEach(async ({ request }) => {
  await ensureFirstAdmin(request);
});

test('an operator shares a read-only view; it works without an account, each use is audited, and revoking it ends it', async ({ page, browser }) => {
  await signIn(page, ADMIN.username, ADMIN.password);
  await page.goto('/health?range=1h');
  await page.getByTestId('share-open').click();
  await page.getByTestId('share-title').fill('e2e: host health for the on-call');
  await page.getByTestId('share-expiry').selectOption('1');
  await page.getByTestId('share-create').click();
  const url = (await page.getByTestId('share-url').textContent())!;
  expect(url).toMatch(/\/share\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);

  const stranger = await browser.newContext();
  const view = await stranger.newPage();
  const opened = await view.goto(url);
  expect(opened?.status()).toBe(200);
  await expect(view.getByTestId('shared-title')).toHaveText('e2e: host health for the on-call');
  await expect(view.getByTestId('shared-score')).toHaveText(/^\d{1,3}$/);
  // Read-only: no console chrome, no controls, no session.
  await expect(view.getByTestId('pin-open')).toHaveCount(0);
  await expect(view.getByTestId('current-user')).toHaveCount(0);

  const recent = await page.request.get('/api/audit/recent?limit=30');
  const types = ((await recent.json()).events as Array<{ type: string }>).map((e) => e.type);
  expect(types).toContain('share.created');
  expect(types).toContain('share.viewed');

  await page.goto('/admin');
  const row = page.getByTestId('panel-share-links').getByRole('row', { name: /e2e: host health for the on-call/ });
  await expect(row).toContainText('active');
  await row.getByRole('button', { name: 'Revoke' }).click();
  await expect(row).toContainText('revoked');

  const refused = await view.goto(url);
  expect(refused?.status()).toBe(401);
  await expect(view.getByRole('heading', { name: 'This link is not valid' })).toBeVisible();

  // A forged token is refused the same way, with nothing about what it might have shown.
  const forged = await view.goto(url.replace(/\.[^.]+$/, '.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'));
  expect(forged?.status()).toBe(401);
  await expect(view.getByRole('heading', { name: 'This link is not valid' })).toBeVisible();
  await stranger.close();
});

test('a viewer cannot create share links', async ({ page: admin, browser }) => {
  // Its own viewer, so the test holds whichever specs ran before it.
  await signIn(admin, ADMIN.username, ADMIN.password);
  const { context, page } = await signInAsNewUser(browser, admin, { username: 'shirin-share-viewer', password: 'share viewer passphrase 1', role: 'viewer' });
  await expect(page.getByTestId('share-open')).toHaveCount(0);
  const token = await page.locator('meta[name="vigil-csrf"]').getAttribute('content');
  const response = await page.request.post('/api/share-links', {
    data: { title: 'x', view: { path: '/' } },
    headers: { 'x-csrf-token': token!, origin: new URL(page.url()).origin },
  });
  expect(response.status()).toBe(403);
  await context.close();
});

test('a shared audit view keeps its filters and can hide source addresses', async ({ page, browser, playwright, baseURL }) => {
  // A failed sign-in of its own, so the view has a source address to hide whichever specs ran before.
  const stranger = await playwright.request.newContext({ baseURL });
  const refused = await stranger.post('/api/auth/login', {
    data: { username: 'nobody-shared', password: 'wrong password here' },
    headers: { origin: baseURL! },
  });
  expect(refused.status()).toBe(401);
  await stranger.dispose();
  await signIn(page, ADMIN.username, ADMIN.password);
  await page.goto('/audit?type=auth.login_failed');
  await page.getByTestId('share-open').click();
  await page.getByTestId('share-title').fill('e2e: failed sign-ins');
  await page.getByTestId('share-redact').check();
  await page.getByTestId('share-create').click();
  const url = (await page.getByTestId('share-url').textContent())!;

  const visitor = await browser.newContext();
  const view = await visitor.newPage();
  await view.goto(url);
  const shared = view.getByTestId('shared-audit');
  await expect(shared).toContainText('auth.login_failed');
  await expect(shared).not.toContainText('auth.login_succeeded');
  await expect(shared).toContainText('127.0.0.x');
  await expect(shared).not.toContainText('127.0.0.1');
  // A forged page cursor is answered in the page, with a way back to the newest events.
  await view.goto(`${url}?cursor=not-a-seq`);
  await expect(view.getByTestId('shared-audit-refused')).toContainText('The cursor in this address is not valid');
  await view.getByRole('link', { name: 'Open the newest events' }).click();
  await expect(view.getByTestId('shared-audit')).toContainText('auth.login_failed');
  await visitor.close();
});
