import { expect, test, type Browser, type Page } from '@playwright/test';
import { ADMIN, E2E_MODULES } from './support/console';
import { ensureFirstAdmin, signIn } from './support/actions';

// Everything the run's config knows about the modules that the public must never see.
const NEVER_PUBLISHED = ['127.0.0.1', E2E_MODULES.process, E2E_MODULES.tcp, 'echo-service', 'http://'];

async function strangerPage(browser: Browser, options: Parameters<Browser['newContext']>[0] = {}) {
  const context = await browser.newContext(options);
  return { context, page: await context.newPage() };
}

async function expectNothingUnchosen(page: Page) {
  const html = await page.content();
  for (const secret of NEVER_PUBLISHED) expect(html, `the page shows ${secret}`).not.toContain(secret);
}

test.beforeAll(async ({ request }) => {
  await ensureFirstAdmin(request);
});

test('a config-declared status page is served signed out, cached, without a cookie and without script', async ({ browser }) => {
  const { context, page } = await strangerPage(browser);
  const response = await page.goto('/status/e2e');
  expect(response?.status()).toBe(200);
  const headers = response!.headers();
  expect(headers['cache-control']).toMatch(/^public, max-age=\d+, stale-while-revalidate=\d+$/);
  expect(headers.etag).toBeTruthy();
  expect(headers['set-cookie']).toBeUndefined();
  await expect(page.getByRole('heading', { level: 1, name: 'E2E services' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Web service' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Port check' })).toBeVisible();
  await expect(page.getByRole('status')).toHaveText(/operational|degraded|down|known|maintenance/i);
  await expect(page.locator('script')).toHaveCount(0);
  await expectNothingUnchosen(page);
  expect(await context.cookies()).toEqual([]);
  // A revisit with the validator costs a 304.
  const again = await page.request.get('/status/e2e', { headers: { 'if-none-match': headers.etag } });
  expect([200, 304]).toContain(again.status());
  expect((await page.request.get('/status/no-such-page')).status()).toBe(404);
  await context.close();
});

test('the page works with JavaScript disabled, at phone width, in light and dark', async ({ browser }) => {
  for (const colorScheme of ['light', 'dark'] as const) {
    const { context, page } = await strangerPage(browser, { javaScriptEnabled: false, viewport: { width: 390, height: 844 }, colorScheme });
    await page.goto('/status/e2e');
    await expect(page.getByRole('heading', { name: 'Web service' })).toBeVisible();
    await expect(page.getByText('90 days').first()).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe(colorScheme === 'dark' ? 'rgb(15, 17, 21)' : 'rgb(247, 248, 250)');
    await page.screenshot({ path: test.info().outputPath(`status-page-390-${colorScheme}.png`), fullPage: true });
    await context.close();
  }
});

test('an admin publishes a page from the console; an operator-written incident and maintenance appear on it, audited', async ({ page, browser }) => {
  await signIn(page, ADMIN.username, ADMIN.password);
  await page.goto('/status-pages');
  const panel = page.getByTestId('panel-status-pages');
  await expect(panel.getByTestId('status-page-row').filter({ hasText: 'E2E services' })).toContainText('config');
  await panel.getByRole('button', { name: 'New page' }).click();
  const form = page.getByTestId('status-page-form');
  await form.getByLabel('Slug').fill('public-api');
  await form.getByLabel('Title').fill('Public API');
  await form.getByLabel('Modules').fill(`${E2E_MODULES.process} = API`);
  await form.getByRole('button', { name: 'Create page' }).click();
  const row = panel.getByTestId('status-page-row').filter({ hasText: 'Public API' });
  await expect(row).toContainText('console');

  await row.getByRole('button', { name: 'Posts' }).click();
  const postForm = row.getByTestId('status-post-form');
  await postForm.getByLabel('Title').fill('Slow answers from the API');
  await postForm.getByLabel('Message (published)').fill('We are looking into slow answers.');
  await postForm.getByRole('button', { name: 'Post incident' }).click();
  const post = row.getByTestId('status-post').filter({ hasText: 'Slow answers from the API' });
  await expect(post).toBeVisible();

  await postForm.getByLabel('Kind').selectOption('maintenance');
  await postForm.getByLabel('Title').fill('Database upgrade');
  const local = (offsetHours: number) => {
    const at = new Date(Date.now() + offsetHours * 3_600_000 - new Date().getTimezoneOffset() * 60_000);
    return at.toISOString().slice(0, 16);
  };
  await postForm.getByLabel('Starts').fill(local(24));
  await postForm.getByLabel('Ends').fill(local(26));
  await postForm.getByLabel('Message (published)').fill('The API is read-only for two hours.');
  await postForm.getByRole('button', { name: 'Schedule maintenance' }).click();
  await expect(row.getByTestId('status-post').filter({ hasText: 'Database upgrade' })).toBeVisible();

  const { context, page: stranger } = await strangerPage(browser, { javaScriptEnabled: false });
  await stranger.goto('/status/public-api');
  const active = stranger.getByRole('region', { name: 'Current incidents and maintenance' });
  await expect(active).toContainText('Slow answers from the API');
  await expect(active).toContainText('We are looking into slow answers.');
  await expect(stranger.getByRole('region', { name: 'Scheduled maintenance' })).toContainText('Database upgrade');
  await expect(stranger.getByRole('heading', { name: 'API', exact: true })).toBeVisible();
  await expectNothingUnchosen(stranger);

  await post.getByLabel('Status').selectOption('resolved');
  await post.getByLabel('Update (published)').fill('Answers are fast again.');
  await post.getByRole('button', { name: 'Add update' }).click();
  await expect(row.getByText('Closed in the last 14 days (1)')).toBeVisible();
  await context.close();
  // A new visitor: the first one's browser keeps its copy for max-age, as it is told to.
  const later = await strangerPage(browser, { javaScriptEnabled: false });
  await later.page.goto('/status/public-api');
  await expect(later.page.getByRole('region', { name: 'Past notices' })).toContainText('Answers are fast again.');
  await later.context.close();

  const recent = await page.request.get('/api/audit/recent?limit=50');
  const types = ((await recent.json()).events as Array<{ type: string }>).map((e) => e.type);
  expect(types).toEqual(
    expect.arrayContaining(['status_page.created', 'status_page.incident_posted', 'status_page.maintenance_scheduled', 'status_page.post_updated']),
  );
});
