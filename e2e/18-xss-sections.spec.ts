import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ADMIN, consoleState, E2E_MODULES, WORKER_PORT } from './support/console';
import { addBouncer, csrfHeaders, ensureFirstAdmin, signIn } from './support/actions';
import { expectNothingRan, freshPage, ingest, PAYLOADS, watch, type Watched } from './support/xss';

/** Letters and digits only: rule names and slugs allow no more, and it finds this run's rows. */
const STAMP = `x${Date.now().toString(36)}`;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ request }) => {
  await ensureFirstAdmin(request);
});

async function send(page: Page, url: string, data: unknown, method: 'POST' | 'PUT' = 'POST'): Promise<unknown> {
  const response = await page.request.fetch(url, { method, data, headers: await csrfHeaders(page) });
  expect(response.status(), `${url}: ${await response.text()}`).toBeLessThan(300);
  return response.json();
}

async function signedInWatched(page: Page): Promise<Watched> {
  const seen = await watch(page);
  await signIn(page, ADMIN.username, ADMIN.password);
  return seen;
}

test('hostile text in alert rules, silences and alerts stays text', async ({ page }) => {
  test.setTimeout(90_000);
  const seen = await signedInWatched(page);
  const created = (await send(page, '/api/tokens', { name: `${STAMP} ingest`, role: 'operator' })) as { token: { secret: string } };
  await send(page, '/api/alerts/rules', { name: `${STAMP} fires`, events: ['app.custom'], modules: [PAYLOADS.img], groupWaitSeconds: 0 }, 'PUT');
  await send(
    page,
    '/api/alerts/rules',
    {
      name: `${STAMP} quiet`,
      events: ['xss.never'],
      // Channel names are refused unless configured (422 unknown_channel): no hostile text gets stored there.
      hosts: [PAYLOADS.href],
      labels: { note: PAYLOADS.breakout },
    },
    'PUT',
  );
  await send(page, '/api/alerts/silences', {
    matchers: [
      { name: 'module', value: PAYLOADS.title },
      { name: 'resource', value: PAYLOADS.svg },
    ],
    durationMinutes: 60,
    comment: PAYLOADS.style,
  });
  await ingest(page, created.token.secret, [{ type: 'custom', name: STAMP, module: PAYLOADS.img, details: { resource: PAYLOADS.breakout } }]);

  await page.goto('/alerts');
  const alert = page.getByTestId('alert-row').filter({ hasText: `${STAMP} fires` });
  await expect(alert).toContainText(PAYLOADS.img);
  await expect(page.getByTestId('rule-row').filter({ hasText: `${STAMP} quiet` })).toBeVisible();
  await expect(page.getByTestId('silence-list')).toContainText(PAYLOADS.svg);
  await expect(page.getByTestId('silence-list')).toContainText(PAYLOADS.style);
  await expect(page.getByTestId('silence-list')).toContainText(PAYLOADS.title);
  await expectNothingRan(page, seen, 'alerts');
});

test('hostile text on a status page stays text, in the console editor and on the public page', async ({ page, browser }) => {
  test.setTimeout(90_000);
  const seen = await signedInWatched(page);
  const slug = `xss-${STAMP}`;
  await send(page, '/api/status-pages', {
    slug,
    title: `${STAMP} ${PAYLOADS.title}`,
    description: PAYLOADS.img,
    modules: [{ module: E2E_MODULES.process, label: PAYLOADS.svg }],
  });
  const incident = (await send(page, `/api/status-pages/${slug}/posts`, {
    kind: 'incident',
    title: PAYLOADS.breakout,
    message: `${PAYLOADS.img}\n${PAYLOADS.style}`,
  })) as { id: string };
  await send(page, `/api/status-pages/${slug}/posts/${incident.id}/updates`, { status: 'identified', message: PAYLOADS.href });

  await page.goto('/status-pages');
  const row = page.getByTestId('status-page-row').filter({ hasText: STAMP });
  await expect(row).toContainText(PAYLOADS.title);
  await row.getByRole('button', { name: 'Posts' }).click();
  await expect(row.getByTestId('status-post').first()).toContainText(PAYLOADS.breakout);
  await expectNothingRan(page, seen, 'status page editor');

  // Strangers run script on the public page (JavaScript on): a payload there would run for anyone.
  const stranger = await freshPage(browser);
  const response = await stranger.page.goto(`/status/${slug}`);
  expect(response?.status()).toBe(200);
  const body = stranger.page.locator('body');
  for (const text of [PAYLOADS.title, PAYLOADS.img, PAYLOADS.svg, PAYLOADS.breakout, PAYLOADS.style, PAYLOADS.href]) await expect(body).toContainText(text);
  await expectNothingRan(stranger.page, stranger.seen, 'public status page');
  await stranger.close();
});

test('hostile text from the config file and from machines stays text: off-site repositories, blocklists, bouncers', async ({ page, playwright }) => {
  test.setTimeout(120_000);
  const { dataDir } = consoleState();
  const configFile = path.join(dataDir, 'vigil.config.yaml');
  const original = readFileSync(configFile, 'utf8');
  // File names may hold markup too (no slash): the list's path is shown, and its bad line is quoted in the error.
  const listDir = mkdtempSync(path.join(os.tmpdir(), 'vigil-e2e-xss-'));
  const listFile = path.join(listDir, `${PAYLOADS.svg}.netset`);
  writeFileSync(listFile, `192.0.2.55\nx${PAYLOADS.svg}\n`);
  const passwordFile = path.join(listDir, 'restic-password');
  writeFileSync(passwordFile, 'e2e restic password\n');
  const repository = path.join(listDir, PAYLOADS.img);
  try {
    const withOffsite = original.replace(
      /^snapshots:\n/m,
      `snapshots:\n  offsite:\n    - { name: xss, repository: ${JSON.stringify(repository)}, passwordFile: ${JSON.stringify(passwordFile)} }\n`,
    );
    expect(withOffsite).not.toBe(original);
    writeFileSync(configFile, `${withOffsite}\ndefense:\n  blocklists:\n    - { name: xss, path: ${JSON.stringify(listFile)}, refreshMinutes: 60 }\n`);

    const key = addBouncer(`xss-${STAMP}`);
    const machine = await playwright.request.newContext({ baseURL: `http://127.0.0.1:${WORKER_PORT}` });
    // A bouncer's User-Agent is shown as its version when it is not `name/version`.
    const pull = async (startup: boolean) =>
      (await machine.get(`/api/v1/decisions/stream?startup=${startup}`, { headers: { 'x-api-key': key, 'user-agent': PAYLOADS.img } })).status();
    // The first pull of a key made a moment ago makes the worker read the bouncers again; then one
    // more, as a bouncer does every second, which the registry writes for the table to show.
    await expect.poll(() => pull(true)).toBe(200);
    expect(await pull(false)).toBe(200);
    await machine.dispose();

    const seen = await signedInWatched(page);
    await page.goto('/defense');
    const list = page.getByTestId('panel-blocklists').locator('[data-testid="blocklist"][data-name="xss"]');
    await expect(list).toContainText(PAYLOADS.svg);
    await expect(list.getByTestId('blocklist-error')).toContainText(`"x${PAYLOADS.svg}" is not an IP address`);
    const bouncer = page.getByTestId('bouncer-table').locator('tr', { has: page.getByText(`xss-${STAMP}`, { exact: true }) });
    await expect(bouncer).toContainText(PAYLOADS.img, { timeout: 20_000 });
    await expectNothingRan(page, seen, 'blocklists and bouncers');

    await page.goto('/recovery');
    const repo = page.getByTestId('offsite-repo-xss');
    await expect(repo).toContainText(PAYLOADS.img);
    // restic's own refusal, which names the repository, is shown too.
    await repo.getByRole('button', { name: 'Check now' }).click();
    await expect(repo.getByRole('alert').first()).toBeVisible({ timeout: 30_000 });
    await expectNothingRan(page, seen, 'off-site copies');
  } finally {
    writeFileSync(configFile, original);
  }
});
