import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ADMIN, SNAPSHOT_SOURCE, snapshotSourceDir } from './support/console';
import { csrfHeaders, signIn, signInAsNewUser } from './support/actions';

const SNAPSHOT = 'e2e-golden';
const VIEWER = { username: 'rita-readonly', password: 'viewer passphrase 8' };

const snapshotRow = (page: Page) => page.getByTestId('snapshot-table').locator('tr', { has: page.getByText(SNAPSHOT, { exact: true }) });

test('an administrator takes a golden snapshot, verifies it and restores a defaced file from it', async ({ page }) => {
  await signIn(page, ADMIN.username, ADMIN.password);
  await page.goto('/recovery');
  const panel = page.getByTestId('panel-recovery');
  await expect(panel).toBeVisible();
  // Sources are configured but nothing golden exists yet: the dashboard says so.
  await expect(page.getByTestId('golden-stale-banner')).toBeVisible();

  await panel.getByTestId('snapshot-create-open').click();
  const create = page.getByTestId('snapshot-create-dialog');
  await create.getByTestId('snapshot-name').fill(SNAPSHOT);
  await create.getByTestId('snapshot-tag').selectOption('golden');
  await create.getByTestId('snapshot-create-submit').click();
  await expect(create).toBeHidden();
  const row = snapshotRow(page);
  await expect(row).toContainText('golden');
  await expect(row.getByTestId('verification-state')).toHaveText('never verified');
  // Progress of the operation arrived over the socket and closed with its outcome.
  await expect(panel.getByTestId('recovery-progress')).toHaveAttribute('data-finished', 'true');

  await row.getByTestId('snapshot-verify').click();
  await expect(row.getByTestId('verification-state')).toContainText('verified');
  await expect(panel.getByTestId('verify-outcome')).toContainText('every blob matches');
  await expect(page.getByTestId('golden-stale-banner')).toBeHidden();

  const indexFile = path.join(snapshotSourceDir(), 'index.html');
  writeFileSync(indexFile, '<h1>defaced</h1>\n');

  await row.getByTestId('snapshot-diff').click();
  const diff = page.getByTestId('diff-dialog');
  await expect(diff.getByTestId('diff-lines')).toContainText(`${SNAPSHOT_SOURCE.name}/index.html`);
  await expect(diff.getByTestId('diff-summary')).toContainText('1 changed');
  await diff.getByRole('button', { name: 'Close' }).click();
  await expect(diff).toBeHidden();

  await row.getByTestId('snapshot-restore').click();
  const restore = page.getByTestId('restore-dialog');
  await restore.getByTestId('restore-reason').fill('index page defaced');
  await restore.getByTestId('restore-preview').click();
  await expect(restore.getByTestId('restore-result')).toHaveAttribute('data-outcome', 'dry-run');
  await expect(restore.getByTestId('restore-changes')).toContainText(`${SNAPSHOT_SOURCE.name}/index.html`);
  // The preview wrote nothing, and the restore stays locked until the name is typed exactly.
  expect(readFileSync(indexFile, 'utf8')).toBe('<h1>defaced</h1>\n');
  await expect(restore.getByTestId('restore-submit')).toBeDisabled();
  await restore.getByTestId('restore-confirm').fill(SNAPSHOT.toUpperCase());
  await expect(restore.getByTestId('restore-submit')).toBeDisabled();
  await restore.getByTestId('restore-confirm').fill(SNAPSHOT);
  await restore.getByTestId('restore-submit').click();

  await expect(restore.getByTestId('restore-result')).toHaveAttribute('data-outcome', 'restored');
  await expect(restore.getByTestId('restore-result')).toContainText(/\d+ files? written/);
  expect(readFileSync(indexFile, 'utf8')).toBe(SNAPSHOT_SOURCE.files['index.html']);
  await restore.getByTestId('restore-done').click();
  await expect(panel.getByTestId('recovery-progress')).toContainText('Restore');
  await expect(panel.getByTestId('recovery-progress')).toHaveAttribute('data-finished', 'true');

  // Every step is in the audit trail under the administrator's name.
  const recent = await page.request.get('/api/audit/recent?limit=30');
  const events = (await recent.json()).events as Array<{ type: string; actor: string }>;
  for (const type of ['snapshot.created', 'snapshot.verified', 'snapshot.restored']) {
    expect(events.find((e) => e.type === type)?.actor).toBe(`user:${ADMIN.username}`);
  }
});

test('a viewer sees the snapshots but is offered no restore, and the API refuses one', async ({ browser, page }) => {
  await signIn(page, ADMIN.username, ADMIN.password);
  const { context, page: viewer } = await signInAsNewUser(browser, page, { ...VIEWER, role: 'viewer' });
  await viewer.goto('/recovery');
  const row = snapshotRow(viewer);
  await expect(row.getByTestId('verification-state')).toContainText('verified');
  await expect(row.getByTestId('snapshot-diff')).toBeVisible();
  await expect(viewer.getByTestId('snapshot-restore')).toHaveCount(0);
  await expect(viewer.getByTestId('snapshot-verify')).toHaveCount(0);
  await expect(viewer.getByTestId('snapshot-create-open')).toHaveCount(0);
  const refused = await viewer.request.post(`/api/snapshots/${SNAPSHOT}/restore`, {
    data: { reason: 'viewer trying', mirror: false, dryRun: false },
    headers: await csrfHeaders(viewer),
  });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.code).toBe('forbidden');
  await context.close();
});
