import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { HostView } from '@/lib/fleet/fleet-api';
import { ADMIN } from './support/console';
import { csrfHeaders, ensureFirstAdmin, signIn } from './support/actions';
import { createEnrollment, createFleetToken, startAgent, type RunningAgent } from './support/fleet-agents';
import { checkEveryLayout } from './support/layouts';

const SHOTS = path.join('test-results', 'host-pages');
const EDGE = 'e2e-edge1';
/** A documentation address (TEST-NET-3) that only ever appears in the agent's own sshd log. */
const ATTACKER = '203.0.113.77';

let agent: RunningAgent | null = null;
let edgeId = 0;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ request }) => {
  await ensureFirstAdmin(request);
});

test.afterAll(async () => {
  await agent?.stop();
});

const hostOf = async (page: Page) => ((await (await page.request.get('/api/fleet/hosts')).json()) as HostView[]).find((h) => h.name === EDGE)!;

test("an agent's failing module, its incident, a brute force on it and its golden snapshot reach the console", async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page, ADMIN.username, ADMIN.password);
  const site = mkdtempSync(path.join(os.tmpdir(), 'vigil-e2e-edge-site-'));
  writeFileSync(path.join(site, 'index.html'), 'the known-good page\n');
  // The agent's sshd log, read from its start: eight failed logins from one address are a brute force there, not here.
  const sshLog = path.join(mkdtempSync(path.join(os.tmpdir(), 'vigil-e2e-edge-log-')), 'auth.log');
  writeFileSync(
    sshLog,
    Array.from({ length: 8 }, (_, i) => `Dec  7 03:00:0${i} edge sshd[41]: Failed password for root from ${ATTACKER} port 5${i}222 ssh2\n`).join(''),
  );
  // Nothing listens on port 9 here: the module is down from its first probe, and an incident opens on the agent.
  const config = [
    'modules:',
    '  - { name: edge-web, kind: http, url: "http://127.0.0.1:9/", intervalSeconds: 1, failureThreshold: 1, observeOnly: true }',
    'snapshots:',
    `  sources: [{ name: site, path: ${JSON.stringify(site)} }]`,
    'logs:',
    `  files: [{ path: ${JSON.stringify(sshLog)}, format: sshd, fromStart: true }]`,
    '',
  ].join('\n');
  const token = await createEnrollment(page, await createFleetToken(page), { site: 'edge' });
  agent = await startAgent({ name: EDGE, token, config });
  await expect
    .poll(async () => ((await (await page.request.get('/api/fleet/hosts')).json()) as HostView[]).find((h) => h.name === EDGE && h.connected)?.id ?? 0, {
      timeout: 60_000,
    })
    .toBeGreaterThan(0);
  edgeId = ((await (await page.request.get('/api/fleet/hosts')).json()) as HostView[]).find((h) => h.name === EDGE)!.id;
  const sent = await page.request.post('/api/fleet/commands', {
    data: { target: { hostId: edgeId }, action: { kind: 'snapshot-create', name: 'known-good', golden: true } },
    headers: await csrfHeaders(page),
  });
  expect(sent.status(), await sent.text()).toBe(202);
  const { id } = (await sent.json()) as { id: string };
  await expect
    .poll(async () => ((await (await page.request.get(`/api/fleet/commands/${id}`)).json()) as { hosts: Array<{ status: string }> }).hosts[0]?.status, {
      timeout: 90_000,
    })
    .toBe('succeeded');
});

test('Healing scoped to the agent shows its module and incident, read-only, under its banner', async ({ page }) => {
  await signIn(page, ADMIN.username, ADMIN.password);
  await page.goto(`/healing?host=${edgeId}`);
  await expect(page.getByTestId('host-section-banner')).toContainText(EDGE);
  await expect(page.getByTestId('module-name')).toHaveText(['edge-web']);
  await expect(page.getByTestId('panel-incidents')).toContainText('edge-web', { timeout: 30_000 });
  // The console's own modules are not mixed in, and nothing here acts on the agent.
  await expect(page.getByRole('button', { name: /restart/i })).toHaveCount(0);
});

test('Recovery scoped to the agent shows its golden snapshot', async ({ page }) => {
  await signIn(page, ADMIN.username, ADMIN.password);
  await page.goto(`/recovery?host=${edgeId}`);
  await expect(page.getByTestId('host-section-banner')).toContainText(EDGE);
  await expect(page.getByTestId('snapshot-name-cell')).toContainText(['known-good']);
  await expect(page.getByTestId('snapshot-restore')).toHaveCount(0);
  await expect(page.getByTestId('snapshot-diff')).toHaveCount(0);
});

test('the Overview scoped to the agent shows its health, degradation, incidents and threats, read-only, under its banner', async ({ page }) => {
  await signIn(page, ADMIN.username, ADMIN.password);
  await page.goto(`/?host=${edgeId}`);
  await expect(page.getByTestId('host-section-banner')).toContainText(EDGE);
  const host = await hostOf(page);
  await expect(page.getByTestId('host-scope-health')).toBeVisible();
  await expect(page.getByTestId('host-scope-degradation')).not.toHaveText('—');
  await expect(page.getByTestId('host-scope-mode')).toHaveText(host.defenseMode!);
  await expect(page.getByTestId('panel-incidents')).toContainText('edge-web');
  await expect(page.getByTestId('panel-threats')).toContainText(ATTACKER, { timeout: 30_000 });
  // The console's own page is not shown, and nothing acts on this console's guard for the agent's threat.
  await expect(page.getByTestId('section-overview')).toHaveCount(0);
  await expect(page.getByTestId('threat-isolate')).toHaveCount(0);
  await expect(page.getByTestId('threat-allow')).toHaveCount(0);
  await page
    .getByTestId('host-page-links')
    .getByRole('link', { name: `Threats of ${EDGE}` })
    .click();
  await expect(page).toHaveURL(new RegExp(`/defense\\?host=${edgeId}$`));
});

test("Defense scoped to the agent shows its mode and threat feed, and none of the console's own controls", async ({ page }) => {
  await signIn(page, ADMIN.username, ADMIN.password);
  await page.goto(`/defense?host=${edgeId}`);
  await expect(page.getByTestId('host-section-banner')).toContainText(EDGE);
  await expect(page.getByTestId('host-defense-mode')).toContainText((await hostOf(page)).defenseMode!);
  await expect(page.getByTestId('panel-threats')).toContainText(ATTACKER);
  await expect(page.getByTestId('threat-level').first()).toBeVisible();
  for (const own of ['section-defense', 'panel-isolations', 'threat-isolate', 'threat-allow']) await expect(page.getByTestId(own)).toHaveCount(0);
});

test('every page scoped to the agent fits a phone and a desktop, light and dark, and is accessible', async ({ browser }) => {
  test.setTimeout(300_000);
  mkdirSync(SHOTS, { recursive: true });
  for (const [name, address, ready] of [
    ['overview', `/?host=${edgeId}`, 'panel-threats'],
    ['defense', `/defense?host=${edgeId}`, 'panel-threats'],
    ['healing', `/healing?host=${edgeId}`, 'panel-modules'],
    ['recovery', `/recovery?host=${edgeId}`, 'panel-snapshots'],
  ] as const)
    await checkEveryLayout(
      browser,
      async (page) => {
        await signIn(page, ADMIN.username, ADMIN.password);
        await page.goto(address);
        await expect(page.getByTestId('host-section-banner')).toContainText(EDGE);
        await expect(page.getByTestId(ready)).toBeVisible();
      },
      async (page, { layout, theme }) => {
        await page.screenshot({ path: path.join(SHOTS, `${name}-${layout}-${theme}.png`), fullPage: true });
      },
    );
});
