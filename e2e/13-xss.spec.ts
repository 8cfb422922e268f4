import { expect, test } from '@playwright/test';
import { ADMIN } from './support/console';
import { csrfHeaders, ensureFirstAdmin, signIn } from './support/actions';
import { ALL_PAYLOADS as ALL, expectNothingRan, freshPage, ingest, PAYLOADS, watch } from './support/xss';

const MARK = `xss-${Date.now()}`;

test.describe.configure({ mode: 'serial' });

test('hostile text in every rendered field stays text', async ({ page, browser }) => {
  test.setTimeout(120_000);
  await ensureFirstAdmin(page.request);
  const seen = await watch(page);
  await signIn(page, ADMIN.username, ADMIN.password);
  await expectNothingRan(page, seen, 'dashboard');

  // Token names are free text, shown in the admin table.
  const created = await page.request.post('/api/tokens', { data: { name: `${MARK} ${PAYLOADS.img}`, role: 'operator' }, headers: await csrfHeaders(page) });
  expect(created.status()).toBe(201);
  const token = ((await created.json()) as { token: { secret: string } }).token.secret;

  // The threat feed and the audit trail show what machines send: user, name, source, details.
  await ingest(page, token, [
    ...Array.from({ length: 12 }, () => ({ type: 'auth_failure', source: PAYLOADS.breakout, user: PAYLOADS.svg })),
    {
      type: 'custom',
      name: `${MARK} ${PAYLOADS.title}`.slice(0, 100),
      source: PAYLOADS.img,
      user: PAYLOADS.href,
      module: PAYLOADS.style,
      details: { mark: MARK, payloads: ALL, link: PAYLOADS.href },
    },
  ]);

  await page.goto('/defense');
  await expect(page.getByTestId('panel-threats')).toBeVisible();
  await expectNothingRan(page, seen, 'dashboard with hostile events');

  await page.goto('/audit');
  const row = page.getByTestId('audit-row').filter({ hasText: MARK }).first();
  await expect(row).toBeVisible();
  await row.click();
  const drawer = page.getByTestId('audit-drawer');
  await expect(drawer).toBeVisible();
  await expect(drawer).toContainText(PAYLOADS.img);
  await expect(drawer).toContainText(PAYLOADS.href);
  await expectNothingRan(page, seen, 'audit drawer');

  // A supervised process's own output, in the module logs.
  const defined = await page.request.post('/api/modules', {
    data: {
      name: `${MARK}-logs`,
      kind: 'process',
      command: [process.execPath, '-e', `console.log(${JSON.stringify(ALL.join(' '))}); setInterval(() => {}, 1e6)`],
      intervalSeconds: 1,
    },
    headers: await csrfHeaders(page),
  });
  expect(defined.status()).toBe(200);
  await page.goto('/healing');
  const moduleRow = page.getByTestId('module-table').locator('tr', { has: page.getByTestId('module-name').getByText(`${MARK}-logs`, { exact: true }) });
  await moduleRow.getByTestId('module-logs').click();
  const logs = page.getByTestId('module-logs-dialog');
  await expect(logs.getByTestId('module-log-lines')).toContainText(PAYLOADS.breakout);
  await expectNothingRan(page, seen, 'module logs');
  await logs.getByRole('button', { name: 'Close' }).click();

  // A failing check's output becomes the probe message, and its incident's timeline.
  const failing = await page.request.post('/api/modules', {
    data: {
      name: `${MARK}-check`,
      kind: 'command',
      command: [process.execPath, '-e', `console.log(${JSON.stringify(PAYLOADS.img)}); process.exit(3)`],
      intervalSeconds: 1,
      failureThreshold: 1,
      observeOnly: true,
    },
    headers: await csrfHeaders(page),
  });
  expect(failing.status()).toBe(200);
  const incident = page
    .getByTestId('panel-incidents')
    .locator('[data-testid="incident-recent"], [data-testid="incident-open"]')
    .filter({ hasText: `${MARK}-check` })
    .first();
  await expect(incident).toBeVisible({ timeout: 30_000 });
  await incident.click();
  const incidentDrawer = page.getByTestId('incident-drawer');
  await expect(incidentDrawer.getByTestId('incident-step').first()).toBeVisible();
  await expect(incidentDrawer).toContainText(PAYLOADS.img);
  await expectNothingRan(page, seen, 'incident drawer');
  await incidentDrawer.getByTestId('incident-close').click();

  // A share link's title and its frozen filters are shown to strangers.
  const shared = await page.request.post('/api/share-links', {
    data: { title: `${MARK} ${PAYLOADS.title}`, view: { path: '/audit', query: { type: 'custom', source: PAYLOADS.breakout } }, redactSources: false },
    headers: await csrfHeaders(page),
  });
  expect(shared.status()).toBe(201);
  const url = ((await shared.json()) as { link: { path: string } }).link.path;

  await page.goto('/admin');
  await expect(page.getByTestId('panel-tokens')).toContainText(PAYLOADS.img);
  await expect(page.getByTestId('panel-share-links')).toContainText(PAYLOADS.title);
  await expectNothingRan(page, seen, 'admin tables');

  const stranger = await freshPage(browser);
  await stranger.page.goto(url);
  await expect(stranger.page.getByTestId('shared-title')).toContainText(PAYLOADS.title);
  await expect(stranger.page.getByTestId('shared-audit')).toContainText(PAYLOADS.breakout);
  await expectNothingRan(stranger.page, stranger.seen, 'share page');
  await stranger.close();
});

test('sign-in returns to the page asked for, never to a script or another site', async ({ browser }) => {
  const visitor = await freshPage(browser);
  await visitor.page.goto('/audit?severity=critical');
  await expect(visitor.page).toHaveURL(/\/login\?next=%2Faudit%3Fseverity%3Dcritical$/);
  await visitor.page.getByTestId('login-username').fill(ADMIN.username);
  await visitor.page.getByTestId('login-password').fill(ADMIN.password);
  await visitor.page.getByTestId('login-submit').click();
  await expect(visitor.page).toHaveURL(/\/audit\?severity=critical$/);
  await visitor.close();

  for (const next of [PAYLOADS.href, '/\\evil.example/x', '/\t/evil.example', '//evil.example']) {
    const other = await freshPage(browser);
    await other.page.goto(`/login?next=${encodeURIComponent(next)}`);
    await other.page.getByTestId('login-username').fill(ADMIN.username);
    await other.page.getByTestId('login-password').fill(ADMIN.password);
    await other.page.getByTestId('login-submit').click();
    await expect(other.page.getByTestId('current-user')).toContainText(ADMIN.username);
    expect(other.page.url(), next).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    await expectNothingRan(other.page, other.seen, `sign-in with next=${next}`);
    await other.close();
  }
});
