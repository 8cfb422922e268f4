import { expect, test, type Page } from '@playwright/test';
import { ADMIN, WORKER_PORT } from './support/console';
import { csrfToken, signIn } from './support/actions';

const MARK = `e2e-audit-${Date.now()}`;

/** An operator token for the worker's ingest API, created the way an admin would in the UI. */
async function ingestToken(page: Page): Promise<string> {
  const created = await page.request.post('/api/tokens', {
    data: { name: `${MARK} ingest`, role: 'operator' },
    headers: { 'x-csrf-token': await csrfToken(page) },
  });
  expect(created.status()).toBe(201);
  return ((await created.json()) as { token: { secret: string } }).token.secret;
}

async function ingest(page: Page, token: string, events: object[]): Promise<void> {
  const response = await page.request.post(`http://127.0.0.1:${WORKER_PORT}/api/v1/events`, {
    data: { events },
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status()).toBe(202);
}

test.describe.configure({ mode: 'serial' });

test('the audit timeline: URL filters, paging, drawer, inert event text, export and live updates', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await signIn(page, ADMIN.username, ADMIN.password);
  const token = await ingestToken(page);
  // 60 marked failures from one source, plus one hostile event.
  await ingest(
    page,
    token,
    Array.from({ length: 60 }, (_, i) => ({ type: 'auth_failure', source: '198.51.100.7', user: `${MARK}-${i}`, details: { mark: MARK, i } })),
  );
  await ingest(page, token, [
    {
      type: 'custom',
      name: `${MARK} hostile`,
      source: '203.0.113.9',
      user: 'mallory',
      details: { mark: MARK, note: '<script>alert(1)</script>', link: 'javascript:alert(2)' },
    },
  ]);

  await page.getByRole('link', { name: 'Audit', exact: true }).click();
  await expect(page).toHaveURL(/\/audit$/);
  await expect(page.getByTestId('audit-row').first()).toBeVisible();

  // Filters go into the URL and survive reload and back/forward.
  await page.getByRole('textbox', { name: 'Source' }).fill('198.51.100.7');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/source=198\.51\.100\.7/);
  await page.getByRole('group', { name: 'Severity' }).getByRole('button', { name: 'warning' }).click();
  await expect(page).toHaveURL(/severity=warning/);
  await expect(page.getByTestId('audit-row')).toHaveCount(50);
  await page.reload();
  await expect(page.getByRole('textbox', { name: 'Source' })).toHaveValue('198.51.100.7');
  await expect(page.getByTestId('audit-row')).toHaveCount(50);
  await page.goBack();
  await expect(page).not.toHaveURL(/severity=/);
  await page.goForward();
  await expect(page).toHaveURL(/severity=warning/);

  // Paging loads older events by keyset: 60 in all, no duplicates, even while the live head
  // keeps moving (each new event refreshes the timeline; that must not swallow the click).
  const noise = { running: true };
  const background = (async () => {
    for (let n = 0; noise.running; n += 1) {
      await ingest(page, token, [{ type: 'custom', name: `background-${n}`, source: '192.0.2.200', details: { n } }]);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  // The older page answers slowly, as on a busy server, so live refreshes arrive while it is
  // in flight.
  await page.route(/\/api\/audit\?.*cursor=/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await route.continue();
  });
  try {
    await expect(page.getByTestId('audit-row').first()).toBeVisible();
    await page.getByTestId('audit-load-older').click();
    await expect(page.getByTestId('audit-row')).toHaveCount(60);
  } finally {
    noise.running = false;
    await background;
    await page.unrouteAll({ behavior: 'wait' });
  }
  const seqs = await page.getByTestId('audit-row').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-seq'))));
  expect(new Set(seqs).size).toBe(60);
  expect([...seqs].sort((a, b) => b - a)).toEqual(seqs);

  // The drawer shows the raw event with hash and prevHash; the selection is in the URL.
  await page.getByTestId('audit-row').first().click();
  await expect(page).toHaveURL(new RegExp(`event=${seqs[0]}`));
  await expect(page.getByTestId('audit-hash')).toHaveText(/^[0-9a-f]{64}$/);
  await expect(page.getByTestId('audit-prev-hash')).toHaveText(/^[0-9a-f]{64}$/);

  // Export downloads NDJSON of exactly the filtered view.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-ndjson').click()]);
  const text = await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'));
  const lines = text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { source: string; severity: string });
  expect(lines).toHaveLength(60);
  expect(lines.every((e) => e.source === '198.51.100.7' && e.severity === 'warning')).toBe(true);

  // Hostile text renders as inert text.
  await page.goto(`/audit?q=${encodeURIComponent(`${MARK} hostile`)}`);
  await page.getByTestId('audit-row').first().click();
  await expect(page.getByTestId('audit-details')).toContainText('<script>alert(1)</script>');
  await expect(page.getByTestId('audit-details')).toContainText('javascript:alert(2)');
  expect(await page.locator('script', { hasText: 'alert(1)' }).count()).toBe(0);
  expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);

  // "Now" view: a new event appears at the top without reload.
  await page.goto('/audit');
  await expect(page.getByTestId('audit-row').first()).toBeVisible();
  await ingest(page, token, [{ type: 'auth_failure', source: '192.0.2.55', user: `${MARK}-live` }]);
  // The reporting token is the actor; the reported user is a detail. Other events may arrive meanwhile, so look for the row, not the top one.
  await expect(page.getByTestId('audit-row').filter({ hasText: '192.0.2.55' }).first()).toContainText(`token:${MARK}`, { timeout: 15_000 });
  expect(dialogs).toEqual([]);
});
