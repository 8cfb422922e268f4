import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { ConfigStatus } from '@/lib/config/config-status';
import { ADMIN, consoleState, E2E_MODULES, SCREENSHOT_DIR } from './support/console';
import { ensureFirstAdmin, signIn } from './support/actions';
import { textContrasts } from './support/contrast';

const VIEWPORTS = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

/** A misspelt module kind, as an operator's edit would have it. */
const brokenCopy = (good: string) => good.replace('kind: process', 'kind: proces');

/** Set on the page once; still set later only if the page was never loaded again. */
async function markPage(page: Page): Promise<void> {
  await page.evaluate(() => ((window as unknown as { __samePage: boolean }).__samePage = true));
}
const isSamePage = (page: Page) => page.evaluate(() => (window as unknown as { __samePage?: boolean }).__samePage === true);

async function setTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await page.evaluate((dark) => document.documentElement.classList.toggle('dark', dark), theme === 'dark');
}

/** Tabs from the top of the page until focus lands inside the banner; the number of presses, or null. */
async function tabsToBanner(page: Page): Promise<number | null> {
  // Focus a mark at the very start of the page (not itself in the tab order), so Tab starts from the top.
  await page.evaluate(() => {
    const start = document.createElement('span');
    start.id = 'tab-start';
    start.tabIndex = -1;
    document.body.prepend(start);
    start.focus();
  });
  try {
    for (let presses = 1; presses <= 25; presses++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => Boolean(document.activeElement?.closest('[data-testid="config-banner"]')))) return presses;
    }
    return null;
  } finally {
    await page.evaluate(() => document.getElementById('tab-start')?.remove());
  }
}

test('a refused configuration file shows a banner on the open console, live, until a valid one is saved', async ({ page, request }) => {
  await ensureFirstAdmin(request);
  await signIn(page, ADMIN.username, ADMIN.password);
  await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'live');
  await expect(page.getByText(E2E_MODULES.process, { exact: true }).first()).toBeVisible();
  const banner = page.getByTestId('config-banner');
  await expect(banner).toHaveCount(0);

  const configFile = path.join(consoleState().dataDir, 'vigil.config.yaml');
  const good = readFileSync(configFile, 'utf8');
  expect(brokenCopy(good)).not.toBe(good);
  await markPage(page);
  try {
    const appeared = page.waitForFunction(() => document.querySelector('[data-testid="config-banner"]') && Date.now(), null, {
      polling: 'raf',
      timeout: 15_000,
    });
    writeFileSync(configFile, brokenCopy(good));
    const shownAt = (await (await appeared).jsonValue()) as number;
    const status = (await (await page.request.get('/api/config/status')).json()) as ConfigStatus;
    expect(status.ok).toBe(false);
    // From the worker's refusal to the banner on screen, over the socket.
    const latencyMs = shownAt - Date.parse(status.at);
    test.info().annotations.push({ type: 'refusal to banner', description: `${latencyMs} ms` });
    expect(latencyMs).toBeLessThan(1000);
    expect(await isSamePage(page)).toBe(true);

    await expect(banner).toHaveAttribute('role', 'alert');
    await expect(banner).toContainText('vigil.config.yaml was not applied:');
    await expect(banner.getByTestId('config-banner-problems')).toContainText(/line \d+: modules\.echo\.kind/);
    await expect(banner).toContainText('Still running the configuration applied at');
    await expect(banner.getByTestId('config-banner-applied-at')).toHaveAttribute('datetime', status.appliedAt);
    await expect(banner).toContainText('vigil config check');
    // The modules keep running on the last good configuration.
    await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'live');

    for (const viewport of VIEWPORTS) {
      await page.setViewportSize({ width: viewport.width, height: viewport.height });
      for (const theme of ['light', 'dark'] as const) {
        await setTheme(page, theme);
        const label = `${viewport.name} ${theme}`;
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `${label}: page wider than the screen`).toBeLessThanOrEqual(0);
        const box = await banner.boundingBox();
        expect(box!.x + box!.width, `${label}: banner past the right edge`).toBeLessThanOrEqual(viewport.width);
        const poor = (await textContrasts(banner)).filter((text) => text.ratio < 4.5);
        expect(poor, `${label}: text below WCAG AA contrast`).toEqual([]);
        expect(await tabsToBanner(page), `${label}: banner not reachable with Tab`).not.toBeNull();
        if (SCREENSHOT_DIR) {
          mkdirSync(SCREENSHOT_DIR, { recursive: true });
          await page.evaluate(() => window.scrollTo(0, 0));
          await page.screenshot({ path: path.join(SCREENSHOT_DIR, `config-banner-${viewport.name}-${theme}.png`) });
        }
      }
    }
    await setTheme(page, 'light');
    await page.setViewportSize({ width: 1440, height: 900 });

    // Every console page carries it, not only the dashboard.
    await page.goto('/audit');
    await expect(banner).toContainText('vigil.config.yaml was not applied:');
    await page.goto('/');
    await expect(banner).toBeVisible();
    await markPage(page);
  } finally {
    writeFileSync(configFile, good);
  }
  await expect(banner).toHaveCount(0);
  expect(await isSamePage(page)).toBe(true);
  expect(((await (await page.request.get('/api/config/status')).json()) as ConfigStatus).ok).toBe(true);
});
