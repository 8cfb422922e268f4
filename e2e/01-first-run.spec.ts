import { expect, test } from '@playwright/test';
import { ADMIN, consoleState } from './support/console';

test('the first start prints a one-time set-up link that creates the administrator', async ({ page }) => {
  const { setupUrl } = consoleState();
  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);

  await page.goto(setupUrl);
  await expect(page.getByRole('heading', { name: 'Create the first administrator' })).toBeVisible();
  await page.getByTestId('setup-username').fill(ADMIN.username);
  await page.getByTestId('setup-password').fill(ADMIN.password);
  await page.getByTestId('setup-confirm').fill(ADMIN.password);
  await page.getByTestId('setup-submit').click();

  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('current-user')).toContainText('admin');
  // The overview answers first: the health score out of 100.
  await expect(page.getByTestId('overview-score')).toHaveText(/^\d{1,3}\s*\/ 100$/);

  // The link is single-use.
  await page.goto(setupUrl);
  await expect(page.getByRole('heading', { name: 'Already set up' })).toBeVisible();
});

test('a wrong password is refused and recorded', async ({ page }) => {
  await page.goto('/login');
  await page.getByTestId('login-username').fill(ADMIN.username);
  await page.getByTestId('login-password').fill('not the password');
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('form-error')).toHaveText('wrong user name or password');
  await expect(page).toHaveURL(/\/login/);
});
