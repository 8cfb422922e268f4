import { expect, test } from '@playwright/test';
import { ADMIN } from './support/console';
import { signIn } from './support/actions';

test('the audit page says how far the chain is verified, and an operator can verify it now', async ({ page }) => {
  await signIn(page, ADMIN.username, ADMIN.password);
  await page.goto('/audit');
  const status = page.getByTestId('chain-status');
  await expect(status).toBeVisible();
  await page.getByTestId('verify-now').click();
  await expect(status).toHaveAttribute('data-ok', 'true');
  await expect(status).toContainText(/chain verified up to #\d+/);
  const recent = await page.request.get('/api/audit/recent?limit=10');
  expect(((await recent.json()).events as Array<{ type: string }>).map((e) => e.type)).toContain('audit.verify_requested');
});
