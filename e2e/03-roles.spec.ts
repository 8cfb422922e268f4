import { expect, test } from '@playwright/test';
import { ADMIN } from './support/console';
import { csrfToken, signIn } from './support/actions';

const VIEWER = { username: 'vera-viewer', password: 'viewer passphrase 1' };

test('an administrator adds a viewer, who can watch but gets 403 on an operator action', async ({ browser }) => {
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, ADMIN.username, ADMIN.password);
  await admin.goto('/admin');
  await admin.getByTestId('new-user-name').fill(VIEWER.username);
  await admin.getByTestId('new-user-password').fill(VIEWER.password);
  await admin.getByTestId('new-user-role').selectOption('viewer');
  await admin.getByTestId('new-user-submit').click();
  await expect(admin.getByTestId('panel-users')).toContainText(VIEWER.username);
  await adminContext.close();

  const viewerContext = await browser.newContext();
  const viewer = await viewerContext.newPage();
  await signIn(viewer, VIEWER.username, VIEWER.password);
  await viewer.goto('/health');
  await expect(viewer.getByTestId('health-score')).toHaveText(/^\d{1,3}$/);
  // The control is not offered…
  await expect(viewer.getByTestId('pin-open')).toHaveCount(0);
  // …and the server refuses it anyway, even with a valid session and CSRF token.
  const response = await viewer.request.post('/api/degradation/pin', {
    data: { level: 'LEVEL_3', reason: 'viewer trying' },
    headers: { 'x-csrf-token': await csrfToken(viewer), origin: new URL(viewer.url()).origin },
  });
  expect(response.status()).toBe(403);
  expect((await response.json()).error.code).toBe('forbidden');
  const admins = await viewer.request.get('/api/users');
  expect(admins.status()).toBe(403);
  await viewerContext.close();
});

test('a state-changing request without the CSRF token is refused', async ({ page }) => {
  await signIn(page, ADMIN.username, ADMIN.password);
  const response = await page.request.post('/api/degradation/pin', { data: { level: 'LEVEL_1', reason: 'no token' } });
  expect(response.status()).toBe(403);
  expect((await response.json()).error.code).toBe('csrf');
});

test('a forged X-Forwarded-For from a client that is not a trusted proxy is ignored', async ({ page, playwright, baseURL }) => {
  const stranger = await playwright.request.newContext({ baseURL });
  const refused = await stranger.post('/api/auth/login', {
    data: { username: 'nobody-forged', password: 'wrong password here' },
    headers: { 'x-forwarded-for': '198.51.100.77', origin: baseURL! },
  });
  expect(refused.status()).toBe(401);
  await stranger.dispose();

  await signIn(page, ADMIN.username, ADMIN.password);
  const recent = await page.request.get('/api/audit/recent?limit=20');
  const events = (await recent.json()).events as Array<{ type: string; actor: string; source: string }>;
  const failure = events.find((e) => e.type === 'auth.login_failed' && e.actor === 'user:nobody-forged');
  expect(failure?.source).toBe('127.0.0.1');
});
