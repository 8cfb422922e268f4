import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { ADMIN, WORKER_PORT } from './support/console';
import { csrfHeaders, signIn, signInAsNewUser } from './support/actions';

const OPERATOR = { username: 'otto-operator', password: 'operator passphrase 11' };
const VIEWER = { username: 'vince-viewer', password: 'viewer passphrase 11' };
const ATTACKER = '203.0.113.50';

/** What the reverse proxy would ask: loopback is a trusted proxy, so X-Forwarded-For names the client. */
async function guardStatus(request: APIRequestContext, client: string): Promise<number> {
  const response = await request.get(`http://127.0.0.1:${WORKER_PORT}/guard/check`, { headers: { 'x-forwarded-for': client } });
  return response.status();
}

const isolationRow = (page: Page, source: string) => page.getByTestId('isolation-table').locator('tr', { has: page.getByText(source, { exact: true }) });

test('an operator isolates a source with a reason, the guard refuses it, and restoring lets it through', async ({ browser, page }) => {
  await signIn(page, ADMIN.username, ADMIN.password);
  const { context, page: operator } = await signInAsNewUser(browser, page, { ...OPERATOR, role: 'operator' });
  await operator.goto('/defense');
  const panel = operator.getByTestId('panel-isolations');
  await expect(operator.getByTestId('defense-mode-indicator')).toHaveAttribute('data-mode', 'NORMAL');

  // The form checks the syntax itself, and shows the worker's 422 for what only the worker knows.
  await panel.getByTestId('isolate-source').fill('203.0.113.300');
  await panel.getByTestId('isolate-reason').fill('port scan from the e2e run');
  await panel.getByTestId('isolate-submit').click();
  await expect(panel.getByTestId('form-error')).toHaveText('203.0.113.300 is not an IP address');
  await panel.getByTestId('isolate-source').fill('1:2:3:4:5:6:7');
  await panel.getByTestId('isolate-submit').click();
  await expect(panel.getByTestId('form-error')).toContainText('1:2:3:4:5:6:7');

  await panel.getByTestId('isolate-source').fill(ATTACKER);
  await panel.getByTestId('isolate-duration').selectOption('1h');
  await panel.getByTestId('isolate-submit').click();
  const row = isolationRow(operator, ATTACKER);
  await expect(row).toContainText('port scan from the e2e run');
  await expect(row).toContainText('manual');
  const timeLeft = row.getByTestId('isolation-time-left');
  await expect(timeLeft).toHaveText(/^(59m \d+s|1h 0m)$/);
  const first = await timeLeft.textContent();
  await expect(timeLeft).not.toHaveText(first ?? '');

  expect(await guardStatus(operator.request, ATTACKER)).toBe(403);
  expect(await guardStatus(operator.request, '203.0.113.51')).toBe(204);
  const recent = await operator.request.get('/api/audit/recent?limit=30');
  const events = (await recent.json()).events as Array<{ type: string; actor: string }>;
  expect(events.find((e) => e.type === 'defense.isolated')?.actor).toBe(`user:${OPERATOR.username}`);

  await row.getByTestId('restore-source').click();
  const dialog = operator.getByTestId('restore-source-dialog');
  await dialog.getByTestId('restore-source-reason').fill('false alarm, our scanner');
  await dialog.getByTestId('restore-source-submit').click();
  await expect(row).toHaveCount(0);
  expect(await guardStatus(operator.request, ATTACKER)).toBe(204);
  await context.close();
});

test('an administrator engages LOCKDOWN with a typed confirmation; operators become read-only until it is lifted', async ({ browser, page }) => {
  await signIn(page, ADMIN.username, ADMIN.password);
  const { context, page: operator } = await signInAsNewUser(browser, page, { username: 'olga-operator', password: 'operator passphrase 12', role: 'operator' });
  await page.goto('/defense');

  // The lockdown banner carries the same controls once it shows: this test drives the panel's.
  const modePanel = page.getByTestId('panel-defense-mode');
  await modePanel.getByTestId('lockdown-open').click();
  const dialog = modePanel.getByTestId('lockdown-dialog');
  await dialog.getByTestId('lockdown-reason').fill('credential stuffing, e2e');
  await dialog.getByTestId('lockdown-confirm').fill('lockdown');
  await expect(dialog.getByTestId('lockdown-submit')).toBeDisabled();
  await dialog.getByTestId('lockdown-confirm').fill('LOCKDOWN');
  await dialog.getByTestId('lockdown-submit').click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('defense-mode')).toHaveText('LOCKDOWN');
  await expect(page.getByTestId('defense-mode-indicator')).toHaveAttribute('data-mode', 'LOCKDOWN');
  await expect(page.getByTestId('lockdown-banner')).toContainText('credential stuffing, e2e');

  // The operator's open page learns it over the socket, on every page.
  await expect(operator.getByTestId('defense-mode-indicator')).toHaveAttribute('data-mode', 'LOCKDOWN');
  await operator.goto('/audit');
  await expect(operator.getByTestId('defense-mode-indicator')).toHaveAttribute('data-mode', 'LOCKDOWN');
  await expect(operator.getByTestId('lockdown-banner')).toContainText('You are read-only');
  await operator.goto('/defense');
  const panel = operator.getByTestId('panel-isolations');
  await panel.getByTestId('isolate-source').fill('203.0.113.60');
  await panel.getByTestId('isolate-reason').fill('should be refused');
  await panel.getByTestId('isolate-submit').click();
  await expect(panel.getByTestId('form-error')).toContainText('only administrators can make changes');
  expect(await guardStatus(operator.request, '203.0.113.61')).toBe(403);

  await modePanel.getByTestId('lift-open').click();
  const lift = modePanel.getByTestId('lift-dialog');
  await lift.getByTestId('lift-reason').fill('attack blocked upstream');
  await lift.getByTestId('lift-submit').click();
  await expect(page.getByTestId('defense-mode')).toHaveText('NORMAL');
  await expect(operator.getByTestId('defense-mode-indicator')).toHaveAttribute('data-mode', 'NORMAL');
  await expect(operator.getByTestId('lockdown-banner')).toBeHidden();
  expect(await guardStatus(operator.request, '203.0.113.61')).toBe(204);
  const changed = await operator.request.post('/api/defense/isolations', {
    data: { source: '203.0.113.60', reason: 'allowed again', duration: '1h' },
    headers: await csrfHeaders(operator),
  });
  expect(changed.status()).toBe(200);
  await context.close();
});

test('a viewer sees the defense and integrity panels but no action buttons', async ({ browser, page }) => {
  await signIn(page, ADMIN.username, ADMIN.password);
  const { context, page: viewer } = await signInAsNewUser(browser, page, { ...VIEWER, role: 'viewer' });
  await viewer.goto('/defense');
  await expect(isolationRow(viewer, '203.0.113.60')).toBeVisible();
  await expect(viewer.getByTestId('defense-mode')).toHaveText('NORMAL');
  await expect(viewer.getByTestId('panel-threats')).toBeVisible();
  await expect(viewer.getByTestId('panel-integrity')).toBeVisible();
  for (const id of ['restore-source', 'isolate-submit', 'lockdown-open', 'lift-open', 'rebaseline-open', 'emergency-open'])
    await expect(viewer.getByTestId(id)).toHaveCount(0);
  const refused = await viewer.request.post('/api/defense/isolations', {
    data: { source: '203.0.113.70', reason: 'not allowed', duration: '1h' },
    headers: await csrfHeaders(viewer),
  });
  expect(refused.status()).toBe(403);
  await context.close();
});
