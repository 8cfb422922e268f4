import { expect, type Page } from '@playwright/test';

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
