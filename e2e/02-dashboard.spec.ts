import { expect, test } from '@playwright/test';
import { ADMIN } from './support/console';
import { signIn } from './support/actions';

test.beforeEach(async ({ page }) => {
  await signIn(page, ADMIN.username, ADMIN.password);
  await page.goto('/health');
});

test('the dashboard shows the health gauge, degradation and host, and values move without reload', async ({ page }) => {
  await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('health-score')).toHaveText(/^\d{1,3}$/);
  await expect(page.getByTestId('degradation-level')).toHaveAttribute('data-level', /^(NORMAL|LEVEL_1|LEVEL_2|LEVEL_3|EMERGENCY)$/);
  await expect(page.getByTestId('feature-map').locator('li')).toHaveCount(7);
  await expect(page.getByTestId('disk-list').locator('li').first()).toBeVisible();

  // The worker samples every second in this run: the sample time must change with no navigation.
  const sampleAt = page.getByTestId('sample-at');
  const first = await sampleAt.textContent();
  expect(first).toMatch(/^\d{4}-\d\d-\d\dT/);
  const navigations: string[] = [];
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) navigations.push(frame.url());
  });
  await expect(sampleAt).not.toHaveText(first!, { timeout: 5000 });
  const chart = page.getByTestId('chart-cpu');
  const before = Number(await chart.getAttribute('data-points'));
  await expect.poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 5000 }).toBeGreaterThan(before);
  expect(navigations).toEqual([]);
});

test('the time range lives in the URL', async ({ page }) => {
  await page.getByRole('button', { name: '1h' }).click();
  await expect(page).toHaveURL(/range=1h/);
  await expect(page.getByRole('button', { name: '1h' })).toHaveAttribute('aria-pressed', 'true');
  await page.goBack();
  await expect(page.getByRole('button', { name: '15m' })).toHaveAttribute('aria-pressed', 'true');
});

test('an operator holds the degradation level and the audit trail records it', async ({ page }) => {
  await page.getByTestId('pin-open').click();
  await page.getByTestId('pin-level').selectOption('LEVEL_2');
  await page.getByTestId('pin-reason').fill('e2e: shedding load for a migration');
  await page.getByTestId('pin-submit').click();
  await expect(page.getByTestId('degradation-pinned')).toBeVisible();
  await expect(page.getByTestId('degradation-level')).toHaveAttribute('data-level', /^(LEVEL_2|LEVEL_3|EMERGENCY)$/);
  await expect(page.getByTestId('recent-audit')).toContainText('health.degradation_pinned');

  await page.getByTestId('pin-open').click();
  await page.getByTestId('pin-reason').fill('e2e: migration done');
  await page.getByTestId('pin-release').click();
  await expect(page.getByTestId('degradation-pinned')).toHaveCount(0);
  await expect(page.getByTestId('recent-audit')).toContainText('health.degradation_unpinned');
});

test('the page is usable on a phone', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const phone = await context.newPage();
  await signIn(phone, ADMIN.username, ADMIN.password);
  await phone.goto('/health');
  await expect(phone.getByTestId('health-score')).toBeVisible();
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await context.close();
});
