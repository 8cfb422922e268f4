import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { HostView } from '@/lib/fleet/fleet-api';
import { ADMIN } from './support/console';
import { seriousAccessibilityViolations } from './support/accessibility';
import { ensureFirstAdmin, signIn } from './support/actions';
import { createEnrollment, createFleetToken, startAgent, type RunningAgent } from './support/fleet-agents';

// Kept as CI artifacts beside the console's own review.
const SHOTS = path.join('test-results', 'fleet');
const WEB = 'e2e-web1';
const DB = 'e2e-db1';

const agents: RunningAgent[] = [];

async function hosts(page: Page): Promise<HostView[]> {
  const answer = await page.request.get('/api/fleet/hosts');
  expect(answer.status()).toBe(200);
  return (await answer.json()) as HostView[];
}

const hostId = async (page: Page, name: string) => (await hosts(page)).find((host) => host.name === name)!.id;
const rowNames = (page: Page) => page.getByTestId('fleet-host-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-host-name')));

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ request }) => {
  await ensureFirstAdmin(request);
});

test.afterAll(async () => {
  await Promise.all(agents.map((agent) => agent.stop()));
});

test('agents that enroll appear on the open fleet page, live, beside the console', async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page, ADMIN.username, ADMIN.password);
  await page.goto('/fleet');
  await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('fleet-host-row')).toHaveCount(1);

  const apiToken = await createFleetToken(page);
  const [webToken, dbToken] = await Promise.all([
    createEnrollment(page, apiToken, { site: 'fra', role: 'web' }),
    createEnrollment(page, apiToken, { site: 'ams', role: 'db' }),
  ]);
  agents.push(...(await Promise.all([startAgent({ name: WEB, token: webToken }), startAgent({ name: DB, token: dbToken })])));

  // No reload: the rows come over the live feed as the agents say hello and beat.
  const rows = page.getByTestId('fleet-host-row');
  await expect(rows).toHaveCount(3, { timeout: 60_000 });
  for (const name of ['local', WEB, DB]) {
    const row = page.locator(`[data-testid="fleet-host-row"][data-host-name="${name}"]`);
    await expect(row).toHaveAttribute('data-state', 'connected');
    // The heartbeat's status arrived: version, a health score on the dial.
    await expect(row).toContainText(/v\d+\.\d+\.\d+/, { timeout: 60_000 });
    await expect(row.getByTestId('fleet-host-health')).toHaveText(/^\d+$/);
  }
  await expect(page.getByTestId('fleet-risk-row')).toHaveCount(3);
  // The worker's list says the same as the page.
  expect((await hosts(page)).map((host) => host.name).sort()).toEqual([DB, WEB, 'local'].sort());
});

test('sort and label filter live in the URL, so a shared link shows the same table', async ({ page }) => {
  await signIn(page, ADMIN.username, ADMIN.password);
  await page.goto('/fleet');
  await expect(page.getByTestId('fleet-host-row')).toHaveCount(3);

  await page.getByTestId('fleet-sort-name').click();
  await expect(page).toHaveURL(/[?&]sort=name&dir=asc/);
  await expect.poll(() => rowNames(page)).toEqual([DB, WEB, 'local']);
  await page.getByTestId('fleet-sort-name').click();
  await expect(page).toHaveURL(/[?&]dir=desc/);
  await expect.poll(() => rowNames(page)).toEqual(['local', WEB, DB]);
  await expect(page.locator('th[aria-sort="descending"]')).toContainText('Host');

  await page.getByTestId('fleet-label-filter').selectOption('site:fra');
  await expect(page).toHaveURL(/[?&]label=site%3Afra/);
  await expect.poll(() => rowNames(page)).toEqual([WEB]);
  await expect(page.getByTestId('fleet-risk-row')).toHaveCount(1);

  // The address alone, in a fresh page, restores the view.
  const shared = page.url();
  const other = await page.context().newPage();
  await other.goto(shared);
  await expect.poll(() => rowNames(other)).toEqual([WEB]);
  await expect(other.getByTestId('fleet-label-filter')).toHaveValue('site:fra');
  await other.close();
});

test('a host scope chosen in the top bar follows the navigation and scopes the audit timeline', async ({ page }) => {
  await signIn(page, ADMIN.username, ADMIN.password);
  const web = await hostId(page, WEB);
  await page.goto('/healing');
  await page.getByTestId('host-scope').selectOption(String(web));
  await expect(page).toHaveURL(new RegExp(`/healing\\?host=${web}$`));
  // Another host's modules and incidents are read through its agent, under a banner naming it.
  await expect(page.getByTestId('host-section-banner')).toContainText(WEB);

  await page.getByTestId('nav-recovery').click();
  await expect(page).toHaveURL(new RegExp(`/recovery\\?host=${web}$`));
  await expect(page.getByTestId('host-section-banner')).toContainText(WEB);

  // The audit trail: unscoped it shows the console's events; scoped, exactly what that host reported.
  await page.goto('/audit');
  await expect(page.getByTestId('audit-row').first()).toBeVisible();
  const scoped = (await (await page.request.get(`/api/audit?host=${web}`)).json()) as { events: { seq: number; hostId?: number }[] };
  for (const event of scoped.events) expect(event.hostId).toBe(web);
  await page.getByTestId('host-scope').selectOption(String(web));
  await expect(page).toHaveURL(new RegExp(`/audit\\?host=${web}$`));
  await expect(page.getByTestId('audit-host-scope')).toContainText(WEB);
  if (scoped.events.length === 0) await expect(page.getByTestId('audit-empty')).toBeVisible();
  else
    await expect
      .poll(() => page.getByTestId('audit-row').evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-seq')))))
      .toEqual(scoped.events.map((e) => e.seq));
  // Host 1, the console itself, has events of its own under the same filter.
  await page.getByTestId('host-scope').selectOption('1');
  await expect(page.getByTestId('audit-row').first()).toBeVisible();
  await page.getByTestId('audit-host-scope').getByRole('button', { name: 'all hosts' }).click();
  await expect(page).toHaveURL(/\/audit$/);
});

test('an administrator revokes a host after typing its name; it is shown revoked and cut off', async ({ page }) => {
  await signIn(page, ADMIN.username, ADMIN.password);
  await page.goto('/fleet');
  const row = page.locator(`[data-testid="fleet-host-row"][data-host-name="${DB}"]`);
  await expect(row).toHaveAttribute('data-state', 'connected');
  await row.getByTestId('fleet-host-revoke').click();
  const dialog = page.getByTestId('revoke-host-dialog');
  await expect(dialog.getByTestId('revoke-host-submit')).toBeDisabled();
  await dialog.getByTestId('revoke-host-confirm').fill(DB);
  await dialog.getByTestId('revoke-host-submit').click();
  await expect(dialog).toHaveCount(0);
  await expect(row).toHaveAttribute('data-state', 'revoked');
  await expect(row.getByTestId('host-connection')).toHaveText('revoked');
  await expect(row.getByTestId('fleet-host-revoke')).toHaveCount(0);
  const revoked = (await hosts(page)).find((host) => host.name === DB)!;
  expect(revoked.revokedAt).not.toBeNull();
  expect(revoked.connected).toBe(false);
  // Audited in the administrator's name, not the web app's.
  const audit = (await (await page.request.get('/api/audit?type=fleet.host_revoked')).json()) as { events: { actor: string; resource: string | null }[] };
  expect(audit.events).toContainEqual(expect.objectContaining({ actor: `user:${ADMIN.username}`, resource: `host:${revoked.id}` }));
  // The local host cannot be revoked, so it offers no button.
  await expect(page.locator('[data-testid="fleet-host-row"][data-host-name="local"]').getByTestId('fleet-host-revoke')).toHaveCount(0);
});

for (const viewport of [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const) {
  for (const theme of ['light', 'dark'] as const) {
    test(`the fleet page and a host scope at ${viewport.width}×${viewport.height} in ${theme}: fits, accessible`, async ({ browser }) => {
      test.setTimeout(180_000);
      mkdirSync(SHOTS, { recursive: true });
      const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height }, colorScheme: theme });
      await context.addInitScript((stored) => localStorage.setItem('vigil-theme', stored), theme);
      const page = await context.newPage();
      await signIn(page, ADMIN.username, ADMIN.password);
      const web = await hostId(page, WEB);
      for (const [shot, address, ready] of [
        ['fleet', '/fleet', 'section-fleet'],
        ['fleet-scoped-overview', `/?host=${web}`, 'host-overview'],
      ] as const) {
        const label = `${address} ${viewport.name} ${theme}`;
        await page.goto(address);
        await expect(page.getByTestId(ready), `${label} rendered`).toBeVisible();
        await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'live');
        if (ready === 'section-fleet') await expect(page.getByTestId('fleet-host-row')).toHaveCount(3);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `${label}: page wider than the screen`).toBeLessThanOrEqual(0);
        expect(await seriousAccessibilityViolations(page), `${label}: serious or critical axe violations`).toEqual([]);
        if (ready === 'section-fleet' && viewport.name === 'phone') {
          // Each row's actions and its tick are within the screen and big enough for a thumb.
          const targets = [page.getByTestId('fleet-host-command'), page.getByTestId('fleet-host-revoke'), page.getByTestId('fleet-host-select').locator('..')];
          for (const target of targets)
            for (const box of await Promise.all((await target.all()).map((one) => one.boundingBox()))) {
              expect(box, `${label}: a row action is laid out`).not.toBeNull();
              expect(box!.height, `${label}: touch target height`).toBeGreaterThanOrEqual(40);
              expect(box!.width, `${label}: touch target width`).toBeGreaterThanOrEqual(40);
              expect(box!.x + box!.width, `${label}: row action inside the screen`).toBeLessThanOrEqual(viewport.width);
            }
          // This console and the web host; the revoked one offers nothing to command.
          await expect(page.getByTestId('fleet-host-command')).toHaveCount(2);
        }
        await page.screenshot({ path: path.join(SHOTS, `${shot}-${viewport.name}-${theme}.png`), fullPage: true });
      }
      if (viewport.name === 'phone') {
        // The phone's host scope is behind More, above the sections.
        await page.getByTestId('nav-more').click();
        await expect(page.getByTestId('host-scope-phone')).toBeVisible();
        await page.getByTestId('host-scope-phone').selectOption('');
        await expect(page).toHaveURL(/\/$/);
      } else {
        await expect(page.getByTestId('host-scope')).toBeVisible();
      }
      await context.close();
    });
  }
}
