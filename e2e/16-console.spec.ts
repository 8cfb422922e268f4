import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { ADMIN } from './support/console';
import { seriousAccessibilityViolations } from './support/accessibility';
import { csrfHeaders, ensureFirstAdmin, signIn } from './support/actions';

/** Every section of the console, with what proves it rendered. */
const SECTIONS = [
  { path: '/', ready: 'section-overview' },
  { path: '/health', ready: 'section-health' },
  { path: '/healing', ready: 'section-healing' },
  { path: '/defense', ready: 'section-defense' },
  { path: '/recovery', ready: 'section-recovery' },
  { path: '/fleet', ready: 'section-fleet' },
  { path: '/risk', ready: 'section-risk' },
  { path: '/drills', ready: 'section-drills' },
  { path: '/alerts', ready: 'alerts-console' },
  { path: '/audit', ready: 'panel-audit-filters' },
  { path: '/status-pages', ready: 'panel-status-pages' },
  { path: '/settings', ready: 'settings-notifications' },
  { path: '/admin', ready: 'panel-users' },
  { path: '/api-docs', ready: 'api-operation' },
] as const;

const VIEWPORTS = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

// Kept as CI artifacts: Playwright's own output folder.
const SHOTS = path.join('test-results', 'console');

interface Watch {
  problems: string[];
}

/** Console errors (React's hydration error #418 among them), failed requests and 5xx answers, as they happen. */
function watch(page: Page): Watch {
  const seen: Watch = { problems: [] };
  // Chromium fails requests in flight with ERR_NETWORK_CHANGED whenever the machine's interfaces
  // change: the fleet specs create network namespaces and veth pairs while this one runs beside them.
  const machineChange = (text: string | undefined) => text?.includes('net::ERR_NETWORK_CHANGED') ?? false;
  page.on('console', (message) => {
    if (message.type() === 'error' && !machineChange(message.text())) seen.problems.push(`console on ${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => seen.problems.push(`page error on ${page.url()}: ${error.message}`));
  page.on('requestfailed', (request) => {
    // A navigation cancels the previous page's fetches and socket polls: that is not a failure.
    const error = request.failure()?.errorText;
    if (error !== 'net::ERR_ABORTED' && !machineChange(error)) seen.problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 500) seen.problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return seen;
}

async function themedPage(browser: Browser, viewport: (typeof VIEWPORTS)[number], theme: 'light' | 'dark'): Promise<{ page: Page; seen: Watch }> {
  const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height }, colorScheme: theme });
  await context.addInitScript((stored) => localStorage.setItem('vigil-theme', stored), theme);
  const page = await context.newPage();
  const seen = watch(page);
  await signIn(page, ADMIN.username, ADMIN.password);
  return { page, seen };
}

async function expectWithinScreen(page: Page, locator: Locator, label: string): Promise<void> {
  await expect(locator, `${label} visible`).toBeVisible();
  const box = (await locator.boundingBox())!;
  const width = page.viewportSize()!.width;
  expect(box.x, `${label} starts on screen`).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, `${label} ends on screen`).toBeLessThanOrEqual(width);
}

test.beforeAll(async ({ request }) => {
  await ensureFirstAdmin(request);
});

for (const viewport of VIEWPORTS) {
  for (const theme of ['light', 'dark'] as const) {
    test(`every section at ${viewport.width}×${viewport.height} in ${theme}: fits, reachable, accessible, no errors`, async ({ browser }) => {
      // Ten sections, each with an axe run and a full-page screenshot, on a shared two-core machine.
      test.setTimeout(600_000);
      mkdirSync(SHOTS, { recursive: true });
      const { page, seen } = await themedPage(browser, viewport, theme);
      for (const section of SECTIONS) {
        const label = `${section.path} ${viewport.name} ${theme}`;
        await page.goto(section.path);
        await expect(page.getByTestId(section.ready).first(), `${label} rendered`).toBeVisible();
        await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'live');
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `${label}: page wider than the screen`).toBeLessThanOrEqual(0);
        // The navigation and the emergency button are on screen on every section.
        await expectWithinScreen(page, page.getByTestId(viewport.name === 'phone' ? 'bottom-nav' : 'section-nav'), `${label} navigation`);
        await expectWithinScreen(page, page.getByTestId('emergency-open'), `${label} emergency button`);
        expect(await seriousAccessibilityViolations(page), `${label}: serious or critical axe violations`).toEqual([]);
        await page.screenshot({
          path: path.join(SHOTS, `${section.path === '/' ? 'overview' : section.path.slice(1)}-${viewport.name}-${theme}.png`),
          fullPage: true,
        });
      }
      if (viewport.name === 'desktop') {
        await page.goto('/');
        await expect(page.getByTestId('overview-backup')).toBeVisible();
        const scroll = await page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight);
        expect(scroll, 'the overview fits 1440×900 without scrolling').toBeLessThanOrEqual(0);
      }
      expect(seen.problems, `${viewport.name} ${theme}: console errors or failed requests`).toEqual([]);
      await page.context().close();
    });
  }
}

test('an unknown address gets a styled page that leads back', async ({ page }) => {
  const seen = watch(page);
  await signIn(page, ADMIN.username, ADMIN.password);
  const response = await page.goto('/no-such-section');
  expect(response?.status()).toBe(404);
  await expect(page.getByTestId('not-found')).toContainText('This page does not exist');
  expect(await seriousAccessibilityViolations(page)).toEqual([]);
  await page.getByRole('link', { name: 'Go to the overview' }).click();
  await expect(page.getByTestId('section-overview')).toBeVisible();
  expect(seen.problems.filter((problem) => !problem.includes('404'))).toEqual([]);
});

test('a window narrowed to a phone is not widened by a chart still at its desktop width', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, ADMIN.username, ADMIN.password);
  await page.goto('/defense');
  // Recharts draws into a box it sizes in pixels from a ResizeObserver.
  const chart = page.getByTestId('threat-chart').locator('.recharts-wrapper');
  await expect(chart).toBeVisible();
  const desktopWidth = (await chart.boundingBox())!.width;
  expect(desktopWidth).toBeGreaterThan(600);
  await page.setViewportSize({ width: 390, height: 844 });
  // The observer answers on a later frame; until then the box keeps the width it had. Pin that moment.
  const overflow = await chart.evaluate((box, width) => {
    (box as HTMLElement).style.width = `${width}px`;
    return document.documentElement.scrollWidth - document.documentElement.clientWidth;
  }, desktopWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test('the sections are reached and the emergency controls opened by keyboard alone', async ({ page }) => {
  await signIn(page, ADMIN.username, ADMIN.password);
  await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'live');
  const focusOn = async (testId: string) => {
    for (let presses = 0; presses < 40; presses++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate((id) => document.activeElement?.getAttribute('data-testid') === id, testId)) return;
    }
    throw new Error(`Tab never reached ${testId}`);
  };
  await focusOn('nav-healing');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/healing$/);
  await expect(page.getByTestId('nav-healing')).toHaveAttribute('aria-current', 'page');
  await focusOn('emergency-open');
  await page.keyboard.press('Enter');
  const dialog = page.getByTestId('emergency-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('emergency-lockdown-open')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
});

test('on a phone the bottom bar reaches every section, the rest behind More', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await signIn(page, ADMIN.username, ADMIN.password);
  await page.getByTestId('tab-defense').click();
  await expect(page).toHaveURL(/\/defense$/);
  await page.getByTestId('nav-more').click();
  await page.getByTestId('nav-more-dialog').getByTestId('more-audit').click();
  await expect(page).toHaveURL(/\/audit$/);
  await expect(page.getByTestId('nav-more')).toHaveAttribute('class', /text-accent/);
  await context.close();
});

test('emergency flows, counted in clicks from any section: lockdown, lift, golden restore', async ({ page }) => {
  test.setTimeout(120_000);
  let clicks = 0;
  const click = async (locator: Locator) => {
    clicks += 1;
    await locator.click();
  };
  await signIn(page, ADMIN.username, ADMIN.password);

  // Lockdown from the risk section: the top-bar button, the lockdown button, then engage.
  await page.goto('/risk');
  await click(page.getByTestId('emergency-open'));
  await click(page.getByTestId('emergency-lockdown-open'));
  const engage = page.getByTestId('lockdown-dialog');
  await engage.getByTestId('lockdown-reason').fill('e2e: emergency flow');
  await engage.getByTestId('lockdown-confirm').fill('LOCKDOWN');
  await click(engage.getByTestId('lockdown-submit'));
  await expect(page.getByTestId('defense-mode-indicator')).toHaveAttribute('data-mode', 'LOCKDOWN');
  expect(clicks, 'clicks to engage lockdown').toBeLessThanOrEqual(3);

  // The banner is on every section, readable, still, and lifts in place.
  await page.keyboard.press('Escape');
  await page.goto('/drills');
  const banner = page.getByTestId('lockdown-banner');
  await expect(banner).toContainText('To lift it');
  await expect(banner.getByRole('link', { name: 'Defense mode and lockdown' })).toHaveAttribute('href', '/defense');
  const animation = await banner.evaluate((element) => getComputedStyle(element).animationName);
  expect(animation).toBe('none');
  clicks = 0;
  await click(banner.getByTestId('banner-lift-open'));
  const lift = page.getByTestId('lift-dialog');
  await lift.getByTestId('lift-reason').fill('e2e: over');
  await click(lift.getByTestId('lift-submit'));
  await expect(page.getByTestId('defense-mode-indicator')).toHaveAttribute('data-mode', 'NORMAL');
  expect(clicks, 'clicks to lift lockdown').toBeLessThanOrEqual(3);

  // Golden restore needs a golden snapshot: taken and verified through the API first.
  const name = `emergency-${Date.now()}`;
  const created = await page.request.post('/api/snapshots', { data: { name, tags: ['golden'] }, headers: await csrfHeaders(page) });
  expect(created.ok()).toBe(true);
  await expect
    .poll(async () => ((await (await page.request.get('/api/snapshots')).json()) as { snapshots: { name: string }[] }).snapshots.some((s) => s.name === name))
    .toBe(true);
  expect((await page.request.post(`/api/snapshots/${name}/verify`, { headers: await csrfHeaders(page) })).ok()).toBe(true);

  await page.goto('/audit');
  clicks = 0;
  await click(page.getByTestId('emergency-open'));
  await click(page.getByTestId('emergency-restore-open'));
  const restore = page.getByTestId('restore-dialog');
  await restore.getByTestId('restore-reason').fill('e2e: emergency restore');
  await restore.getByTestId('restore-confirm').fill(name);
  await click(restore.getByTestId('restore-submit'));
  await expect(restore.getByTestId('restore-result')).toBeVisible({ timeout: 30_000 });
  expect(clicks, 'clicks to a golden restore, the typed confirmation aside').toBeLessThanOrEqual(4);
});

test('a deep link survives sign-in, and `next` never leaves the console', async ({ page }) => {
  await page.goto('/audit?severity=critical');
  await expect(page).toHaveURL(/\/login\?next=%2Faudit%3Fseverity%3Dcritical$/);
  await page.getByTestId('login-username').fill(ADMIN.username);
  await page.getByTestId('login-password').fill(ADMIN.password);
  await page.getByTestId('login-submit').click();
  await expect(page).toHaveURL(/\/audit\?severity=critical$/);
  await page.goto(`/login?next=${encodeURIComponent('//evil.example/steal')}`);
  await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/$/);
});
