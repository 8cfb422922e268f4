import { expect, test } from '@playwright/test';
import { ADMIN, workerPid } from './support/console';
import { signIn } from './support/actions';

test('when the worker dies the page says so, and recovers by itself when the launcher restarts it', async ({ page }) => {
  await signIn(page, ADMIN.username, ADMIN.password);
  await page.goto('/health');
  await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'live');
  const pid = workerPid();
  process.kill(pid, 'SIGKILL');

  await expect(page.getByTestId('offline-banner')).toBeVisible({ timeout: 10_000 });
  await expect(page.getByTestId('offline-banner')).toContainText('Worker unreachable');

  // The launcher restarts the worker; the page reconnects without a reload.
  await expect(page.getByTestId('offline-banner')).toBeHidden({ timeout: 45_000 });
  await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'live');
  await expect.poll(() => workerPid()).not.toBe(pid);
  const sampleAt = page.getByTestId('sample-at');
  const seen = await sampleAt.textContent();
  await expect(sampleAt).not.toHaveText(seen!, { timeout: 5000 });
});
