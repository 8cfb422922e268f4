import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { HostView } from '@/lib/fleet/fleet-api';
import { ADMIN } from './support/console';
import { csrfHeaders, ensureFirstAdmin, signIn } from './support/actions';
import { createEnrollment, createFleetToken, startAgent, type RunningAgent } from './support/fleet-agents';
import { checkEveryLayout } from './support/layouts';

const SHOTS = path.join('test-results', 'scoped-defense');
const EDGE = 'e2e-locked-edge';

let agent: RunningAgent | null = null;
let edgeId = 0;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ request }) => {
  await ensureFirstAdmin(request);
});

test.afterAll(async ({ browser }) => {
  await agent?.stop();
  // Revoked, the locked-down host no longer counts in the all-hosts badge of the specs that follow.
  if (edgeId === 0) return;
  const page = await browser.newPage();
  await signIn(page, ADMIN.username, ADMIN.password);
  const revoked = await page.request.post(`/api/fleet/hosts/${edgeId}/revoke`, { headers: await csrfHeaders(page) });
  expect(revoked.ok(), await revoked.text()).toBe(true);
  await page.close();
});

const fleetHosts = async (page: Page) => (await (await page.request.get('/api/fleet/hosts')).json()) as HostView[];

test('an agent locked down from the console reports LOCKDOWN in its heartbeat', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, ADMIN.username, ADMIN.password);
  const token = await createEnrollment(page, await createFleetToken(page), { site: 'locked' });
  agent = await startAgent({ name: EDGE, token });
  await expect.poll(async () => (await fleetHosts(page)).find((h) => h.name === EDGE && h.connected)?.id ?? 0, { timeout: 60_000 }).toBeGreaterThan(0);
  edgeId = (await fleetHosts(page)).find((h) => h.name === EDGE)!.id;
  const sent = await page.request.post('/api/fleet/commands', {
    data: { target: { hostId: edgeId }, action: { kind: 'lockdown', reason: 'e2e: the edge is under attack' } },
    headers: await csrfHeaders(page),
  });
  expect(sent.status(), await sent.text()).toBe(202);
  await expect.poll(async () => (await fleetHosts(page)).find((h) => h.id === edgeId)?.defenseMode, { timeout: 60_000 }).toBe('LOCKDOWN');
});

test("scoped to the locked-down agent, the top bar shows its LOCKDOWN and names it, not the console's NORMAL", async ({ page }) => {
  await signIn(page, ADMIN.username, ADMIN.password);
  await page.goto(`/defense?host=${edgeId}`);
  const badge = page.getByTestId('defense-mode-indicator');
  await expect(badge).toHaveAttribute('data-scope', `host:${edgeId}`);
  await expect(badge).toHaveAttribute('data-mode', 'LOCKDOWN');
  await expect(badge.getByTestId('defense-mode-where-long')).toHaveText(EDGE);
  await expect(badge).toHaveAccessibleName(`Defense mode of ${EDGE}: LOCKDOWN`);
  await expect(badge).toHaveAttribute('href', `/defense?host=${edgeId}`);
  // The console itself is not locked down: its own banner stays away, and scoped to it the badge says NORMAL under its name.
  await expect(page.getByTestId('lockdown-banner')).toHaveCount(0);
  const consoleName = (await fleetHosts(page)).find((h) => h.id === 1)!.name;
  await page.goto('/defense?host=1');
  await expect(badge).toHaveAttribute('data-scope', 'host:1');
  await expect(badge).toHaveAttribute('data-mode', 'NORMAL');
  await expect(badge.getByTestId('defense-mode-where-long')).toHaveText(consoleName);
  await expect(badge).toHaveAccessibleName(`Defense mode of ${consoleName}: NORMAL`);
});

test('over all hosts the top bar sums: LOCKDOWN on 1 of the enrolled hosts', async ({ page }) => {
  await signIn(page, ADMIN.username, ADMIN.password);
  const enrolled = (await fleetHosts(page)).filter((h) => h.revokedAt === null);
  const locked = enrolled.filter((h) => h.defenseMode === 'LOCKDOWN').length;
  await page.goto('/');
  const badge = page.getByTestId('defense-mode-indicator');
  await expect(badge).toHaveAttribute('data-scope', 'fleet');
  await expect(badge).toHaveAttribute('data-mode', 'LOCKDOWN');
  await expect(badge.getByTestId('defense-mode-where-long')).toHaveText(`${locked} of ${enrolled.length}`);
  await expect(badge).toHaveAttribute('title', new RegExp(`^Defense mode: LOCKDOWN on ${locked} of ${enrolled.length} hosts`));
});

test('the scoped badge reads at desktop and phone widths, light and dark', async ({ browser }) => {
  test.setTimeout(180_000);
  const total = await (async () => {
    const page = await browser.newPage();
    await signIn(page, ADMIN.username, ADMIN.password);
    const hosts = (await fleetHosts(page)).filter((h) => h.revokedAt === null);
    await page.close();
    return { all: hosts.length, locked: hosts.filter((h) => h.defenseMode === 'LOCKDOWN').length };
  })();
  for (const scope of ['host', 'fleet'] as const) {
    await checkEveryLayout(
      browser,
      async (page) => {
        await signIn(page, ADMIN.username, ADMIN.password);
        await page.goto(scope === 'host' ? `/?host=${edgeId}` : '/');
        await expect(page.getByTestId('defense-mode-indicator')).toHaveAttribute('data-mode', 'LOCKDOWN');
      },
      async (page, { layout, theme }) => {
        const badge = page.getByTestId('defense-mode-indicator');
        const phone = layout === '390';
        // On a phone the words shrink to the host's name or the count, and the badge stays inside the bar.
        const where = scope === 'host' ? EDGE : phone ? `${total.locked}/${total.all}` : `${total.locked} of ${total.all}`;
        await expect(badge).toBeVisible();
        const words = badge.getByTestId(phone ? 'defense-mode-where-short' : 'defense-mode-where-long');
        await expect(words).toBeVisible();
        await expect(words).toHaveText(where);
        const box = (await badge.boundingBox())!;
        expect(box.x + box.width, `${layout} ${theme}: the badge fits the bar`).toBeLessThanOrEqual(page.viewportSize()!.width);
        await badge.locator('xpath=ancestor::header').screenshot({ path: path.join(SHOTS, `${scope}-${layout}-${theme}.png`) });
      },
    );
  }
});

test('scoped to the agent, Emergency commands that host: its lockdown is lifted from there; over all hosts it says it acts on this console', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signIn(page, ADMIN.username, ADMIN.password);
  const consoleName = (await fleetHosts(page)).find((h) => h.id === 1)!.name;

  // All hosts: the console's own controls, saying so, since other hosts are enrolled.
  await page.goto('/');
  await page.getByTestId('emergency-open').click();
  let dialog = page.getByTestId('emergency-dialog');
  await expect(dialog.getByRole('heading', { name: `Emergency controls · ${consoleName}` })).toBeVisible();
  await expect(dialog.getByTestId('emergency-where')).toContainText(`These act on this console (${consoleName})`);
  await expect(dialog.getByText('Defense mode:')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);

  // Scoped to the locked-down agent: a command to it, by keyboard, and never the console's own lockdown control.
  await page.goto(`/?host=${edgeId}`);
  await page.getByTestId('emergency-open').focus();
  await page.keyboard.press('Enter');
  dialog = page.getByTestId('emergency-dialog');
  await expect(dialog.getByRole('heading', { name: `Emergency controls · ${EDGE}` })).toBeVisible();
  await expect(dialog.getByTestId('emergency-where')).toContainText(`These act on ${EDGE}`);
  await expect(dialog.getByText('Defense mode:')).toHaveCount(0);
  await dialog.screenshot({ path: path.join(SHOTS, 'emergency-remote-1440.png') });
  // On a phone the dialog stays inside the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  const box = (await dialog.boundingBox())!;
  expect(box.x >= 0 && box.x + box.width <= 390, 'the dialog fits a phone').toBe(true);
  await page.screenshot({ path: path.join(SHOTS, 'emergency-remote-390.png') });
  const kind = dialog.getByTestId('fleet-command-kind');
  // Locked down already, so lifting is what it offers first.
  await expect(kind).toHaveValue('lift-lockdown');
  await dialog.getByTestId('fleet-command-reason').fill('e2e: the attack on the edge is over');
  await expect(dialog.getByTestId('fleet-command-send')).toHaveText(`Lift lockdown · ${EDGE}`);
  await dialog.getByTestId('fleet-command-send').click();
  // Sent: the fleet page, scoped to the host, where its answer shows.
  await page.waitForURL(`**/fleet?host=${edgeId}`);
  await expect.poll(async () => (await fleetHosts(page)).find((h) => h.id === edgeId)?.defenseMode, { timeout: 60_000 }).toBe('NORMAL');
  // The console itself was never touched.
  const own = (await (await page.request.get('/api/defense')).json()) as { mode: string };
  expect(own.mode).toBe('NORMAL');
});
