import { expect, test, type Page } from '@playwright/test';
import { ADMIN, E2E_MODULES, WEB_PORT } from './support/console';
import { csrfHeaders, signIn, signInAsNewUser } from './support/actions';

const VIEWER = { username: 'rita-risk', password: 'viewer passphrase 10' };
/** A console module that fails every probe: the forecaster has to rate it orange or red and offer a restart. */
const DOOMED = 'risk-doomed';
/** The console's own API without a session answers 401: a probe target that never passes. */
const NEVER_HEALTHY = `http://127.0.0.1:${WEB_PORT}/api/modules`;

const riskRow = (page: Page, subsystem: string) => page.getByTestId('risk-heatmap').locator(`[data-testid="risk-row"][data-subsystem="${subsystem}"]`);

test.describe.serial('risk heatmap', () => {
  // One signed-in administrator for the whole file: each sign-in is a page load the slowest step here.
  let page: Page;
  test.beforeAll(async ({ browser }) => {
    page = await browser.newPage();
    await signIn(page, ADMIN.username, ADMIN.password);
    await page.goto('/risk');
  });
  test.afterAll(async () => {
    await page.request.delete(`/api/modules/${DOOMED}`, { headers: await csrfHeaders(page) });
    await page.close();
  });

  test('shows every subsystem with banded current risk from the first cycle, and history cells', async () => {
    const panel = page.getByTestId('panel-risk');
    await expect(panel).toContainText('every 5 s');
    for (const subsystem of ['host', 'defense', 'data', 'backups', `module:${E2E_MODULES.process}`]) await expect(riskRow(page, subsystem)).toBeVisible();
    const bands = await panel.getByTestId('risk-cell-now').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-band')));
    expect(bands.length).toBeGreaterThanOrEqual(5);
    for (const band of bands) expect(['green', 'yellow', 'orange', 'red']).toContain(band);
    // The newest history slot of a row is filled as soon as one cycle has run.
    await expect(riskRow(page, 'host').getByTestId('risk-cell').last()).not.toHaveAttribute('data-band', 'none');
    await expect(panel.getByTestId('risk-legend')).toContainText('critical 76-100');
  });

  test('drills into a failing module and an operator restarts it from the plan, audited', async () => {
    const defined = await page.request.post('/api/modules', {
      headers: await csrfHeaders(page),
      data: {
        name: DOOMED,
        kind: 'http',
        url: NEVER_HEALTHY,
        expectStatus: [200],
        intervalSeconds: 1,
        failureThreshold: 1,
        restart: { command: [process.execPath, '-e', '0'] },
      },
    });
    expect(defined.ok(), await defined.text()).toBe(true);

    const row = riskRow(page, `module:${DOOMED}`);
    await expect(row.getByTestId('risk-cell-now')).toHaveAttribute('data-band', /orange|red/, { timeout: 30_000 });
    await row.click();
    const detail = page.getByTestId('risk-detail');
    await expect(detail).toContainText(DOOMED);
    await expect(detail.getByTestId('risk-contributions')).toContainText('down now');
    await expect(detail).toContainText('Predictions');
    const apply = detail.getByTestId('apply-mitigation');
    await expect(apply).toHaveCount(1);
    await apply.click();
    await expect(detail).toContainText(`Applied: Restart ${DOOMED} now`);

    const audit = await page.request.get('/api/audit?type=forecast.mitigation_applied');
    const { events } = (await audit.json()) as { events: { actor: string; action: string }[] };
    expect(events.find((e) => e.action.includes(DOOMED))?.actor).toBe(`user:${ADMIN.username}`);
  });

  test('a viewer sees the plan but no button to apply it', async ({ browser }) => {
    const { context, page: viewer } = await signInAsNewUser(browser, page, { ...VIEWER, role: 'viewer' });
    await viewer.goto('/risk');
    const row = riskRow(viewer, `module:${DOOMED}`);
    await row.click();
    const detail = viewer.getByTestId('risk-detail');
    await expect(detail).toContainText(DOOMED);
    await expect(detail.getByTestId('risk-mitigations')).toContainText(`Restart ${DOOMED} now`);
    await expect(viewer.getByTestId('apply-mitigation')).toHaveCount(0);
    await expect(viewer.getByTestId('governor-list').getByRole('button', { name: 'Apply' })).toHaveCount(0);
    const refused = await viewer.request.post('/api/risk/mitigations', {
      headers: await csrfHeaders(viewer),
      data: { subsystem: `module:${DOOMED}`, action: 'restart-module', reason: 'viewer tries' },
    });
    expect(refused.status()).toBe(403);
    await context.close();
  });
});
