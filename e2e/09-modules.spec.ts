import { expect, test, type Page } from '@playwright/test';
import { ADMIN, E2E_MODULES } from './support/console';
import { csrfHeaders, signIn, signInAsNewUser } from './support/actions';

const VIEWER = { username: 'milo-monitor', password: 'viewer passphrase 9' };

interface ModuleRow {
  name: string;
  state: string;
  pid: number | null;
  restarts: number;
}

const moduleRow = (page: Page, name: string) =>
  page.getByTestId('module-table').locator('tr', { has: page.getByTestId('module-name').getByText(name, { exact: true }) });

async function moduleNamed(page: Page, name: string): Promise<ModuleRow> {
  const modules = (await (await page.request.get('/api/modules')).json()) as ModuleRow[];
  const found = modules.find((m) => m.name === name);
  if (!found) throw new Error(`no module ${name}`);
  return found;
}

test('an operator restarts a supervised process with a reason, and a crash opens and resolves an incident', async ({ page }) => {
  await signIn(page, ADMIN.username, ADMIN.password);
  await page.goto('/healing');
  const echo = moduleRow(page, E2E_MODULES.process);
  await expect(echo.getByTestId('module-state')).toHaveText('up');
  await expect(moduleRow(page, E2E_MODULES.tcp).getByTestId('module-state')).toHaveText('up');
  await expect(echo).toContainText('config file');
  await expect(echo.getByTestId('module-restarts')).toHaveText('0');

  // The supervised process's output is one click away.
  await echo.getByTestId('module-logs').click();
  const logs = page.getByTestId('module-logs-dialog');
  await expect(logs.getByTestId('module-log-lines')).toContainText('echo listening on');
  await logs.getByRole('button', { name: 'Close' }).click();
  await expect(logs).toBeHidden();

  // Restart asks for a reason and keeps it in the audit trail.
  const before = (await moduleNamed(page, E2E_MODULES.process)).pid;
  await echo.getByTestId('module-restart').click();
  const dialog = page.getByTestId('module-action-dialog');
  await expect(dialog.getByTestId('module-action-submit')).toBeDisabled();
  await dialog.getByTestId('module-action-reason').fill('rolling out new config');
  await dialog.getByTestId('module-action-submit').click();
  await expect(dialog).toBeHidden();
  await expect(echo.getByTestId('module-restarts')).toHaveText('1');
  await expect(echo.getByTestId('module-state')).toHaveText('up');
  const restarted = await moduleNamed(page, E2E_MODULES.process);
  expect(restarted.pid).not.toBe(before);
  const recent = (await (await page.request.get('/api/audit/recent?limit=30')).json()).events as Array<{ type: string; actor: string; reason: string | null }>;
  expect(recent.find((e) => e.type === 'module.restart_requested')).toMatchObject({ actor: `user:${ADMIN.username}`, reason: 'rolling out new config' });

  // A crash: the worker notices the exit, opens an incident, restarts the process and closes it.
  process.kill(restarted.pid!, 'SIGKILL');
  const incidents = page.getByTestId('panel-incidents');
  const incident = incidents.locator('[data-testid="incident-recent"], [data-testid="incident-open"]').filter({ hasText: E2E_MODULES.process }).first();
  await expect(incident).toBeVisible();
  await expect(echo.getByTestId('module-restarts')).toHaveText('2');
  await expect(echo.getByTestId('module-state')).toHaveText('up');
  const resolved = incidents.getByTestId('incident-recent').filter({ hasText: E2E_MODULES.process }).first();
  await expect(resolved).toHaveAttribute('data-state', 'resolved');
  await expect(resolved).toContainText(/MTTD .+ · MTTR .+/);

  // Its timeline opens in a drawer whose address can be shared.
  await resolved.click();
  const drawer = page.getByTestId('incident-drawer');
  await expect(drawer.getByTestId('incident-state')).toHaveText('resolved');
  const steps = drawer.getByTestId('incident-step');
  await expect(steps.first()).toHaveAttribute('data-kind', 'detected');
  await expect(drawer.locator('[data-kind="classified"]')).toContainText('service failure');
  await expect(steps.last()).toHaveAttribute('data-kind', 'resolved');
  await expect(page).toHaveURL(/[?&]incident=[0-9a-f-]+/);
  const shared = page.url();
  await drawer.getByTestId('incident-close').click();
  await expect(drawer).toBeHidden();
  await expect(page).not.toHaveURL(/incident=/);
  await page.goto(shared);
  await expect(page.getByTestId('incident-drawer').getByTestId('incident-state')).toHaveText('resolved');
});

test('the health gauge explains what took points away', async ({ page }) => {
  await signIn(page, ADMIN.username, ADMIN.password);
  await page.goto('/health');
  await page.getByTestId('health-gauge').click();
  const breakdown = page.getByTestId('health-breakdown');
  await expect(breakdown.locator('[data-factor="modules"]')).toContainText('Modules');
  await expect(breakdown.getByTestId('breakdown-score')).toHaveText(/^\d{1,3}$/);
  // Both read the same live sample; poll, since a new one may land between the two reads.
  await expect
    .poll(async () => (await breakdown.getByTestId('breakdown-score').textContent()) === (await page.getByTestId('health-score').first().textContent()))
    .toBe(true);
});

test('a viewer sees modules and incidents but no action buttons, and the API refuses a restart', async ({ browser, page }) => {
  await signIn(page, ADMIN.username, ADMIN.password);
  const { context, page: viewer } = await signInAsNewUser(browser, page, { ...VIEWER, role: 'viewer' });
  await viewer.goto('/healing');
  const echo = moduleRow(viewer, E2E_MODULES.process);
  await expect(echo.getByTestId('module-state')).toHaveText('up');
  await expect(echo.getByTestId('module-logs')).toBeVisible();
  for (const action of ['module-restart', 'module-pause', 'module-resume', 'module-define-open', 'approval-approve']) {
    await expect(viewer.getByTestId(action)).toHaveCount(0);
  }
  await expect(viewer.getByTestId('panel-incidents')).toBeVisible();
  const refused = await viewer.request.post(`/api/modules/${E2E_MODULES.process}/control`, {
    data: { action: 'restart', reason: 'viewer trying' },
    headers: await csrfHeaders(viewer),
  });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.code).toBe('forbidden');
  await context.close();
});
