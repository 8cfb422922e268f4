import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { expect, type APIRequestContext, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { ADMIN, consoleState, WORKER_PORT } from './console';

export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('current-user')).toContainText(username);
}

export async function csrfToken(page: Page): Promise<string> {
  const token = await page.locator('meta[name="vigil-csrf"]').getAttribute('content');
  if (!token) throw new Error('no CSRF token on the page');
  return token;
}

/** What a signed-in page sends with a state-changing API call, as the console's own fetches do. */
export async function csrfHeaders(page: Page): Promise<Record<string, string>> {
  return { 'x-csrf-token': await csrfToken(page), origin: new URL(page.url()).origin };
}

/**
 * Creates a user through the API as the signed-in administrator on `admin`, then signs that
 * user in on a page of a fresh browser context (close `context` when done).
 */
export async function signInAsNewUser(
  browser: Browser,
  admin: Page,
  user: { username: string; password: string; role: 'viewer' | 'operator' | 'admin' },
): Promise<{ context: BrowserContext; page: Page }> {
  const created = await admin.request.post('/api/users', { data: user, headers: await csrfHeaders(admin) });
  expect(created.ok()).toBe(true);
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, user.username, user.password);
  return { context, page };
}

/**
 * Creates ADMIN through the one-time set-up link unless the first-run spec already did, so a
 * spec that needs the administrator also runs on its own.
 */
export async function ensureFirstAdmin(request: APIRequestContext): Promise<void> {
  const token = new URL(consoleState().setupUrl).searchParams.get('token');
  const response = await request.post('/api/auth/setup', { data: { token, username: ADMIN.username, password: ADMIN.password } });
  if (response.status() === 409 && ((await response.json()) as { error: { code: string } }).error.code === 'already_set_up') return;
  expect(response.status()).toBe(200);
}

/** `vigil bouncer add` on the run's data directory, as an operator runs it on the worker's host; answers the bouncer's key. */
export function addBouncer(name: string): string {
  const { dataDir } = consoleState();
  const env: NodeJS.ProcessEnv = { ...process.env, VIGIL_DATA_DIR: dataDir, WORKER_PORT: String(WORKER_PORT), LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  const out = execFileSync(process.execPath, ['scripts/vigil.mjs', 'bouncer', 'add', name, '--output', path.join(dataDir, `${name}.yaml`)], {
    env,
    encoding: 'utf8',
  });
  return /^\s+(vgl_\S+)$/m.exec(out)![1];
}
