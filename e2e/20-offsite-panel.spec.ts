import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ADMIN, consoleState, SCREENSHOT_DIR, SNAPSHOT_SOURCE, snapshotSourceDir } from './support/console';
import { seriousAccessibilityViolations, setTheme } from './support/accessibility';
import { csrfHeaders, ensureFirstAdmin, signIn } from './support/actions';

const REPO = 'e2e-restic';
const SNAPSHOT = 'offsite-e2e';

async function shoot(page: Page, name: string): Promise<void> {
  if (SCREENSHOT_DIR) await page.screenshot({ path: path.join(SCREENSHOT_DIR, `offsite-${name}.png`), fullPage: true });
}

async function checkLayouts(page: Page, label: string): Promise<void> {
  for (const viewport of [
    { name: 'desktop', width: 1440, height: 900 },
    { name: 'phone', width: 390, height: 844 },
  ]) {
    await page.setViewportSize(viewport);
    for (const theme of ['light', 'dark'] as const) {
      await setTheme(page, theme);
      await page.getByTestId('panel-offsite').scrollIntoViewIfNeeded();
      expect(
        await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
        `${label} ${viewport.name}`,
      ).toBeLessThanOrEqual(0);
      expect(await seriousAccessibilityViolations(page), `${label} ${viewport.name} ${theme}`).toEqual([]);
      await shoot(page, `${label}-${viewport.name}-${theme}`);
    }
  }
  await setTheme(page, 'light');
  await page.setViewportSize({ width: 1440, height: 900 });
}

/** A real restic repository in a scratch directory, its password in a file as the config requires. */
function initRepository(): { dir: string; repository: string; passwordFile: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-e2e-restic-'));
  const repository = path.join(dir, 'repo');
  const passwordFile = path.join(dir, 'password');
  writeFileSync(passwordFile, 'e2e restic passphrase\n', { mode: 0o600 });
  const init = spawnSync('restic', ['init', '--repo', repository, '--password-file', passwordFile], { encoding: 'utf8' });
  expect(init.status, init.stderr).toBe(0);
  return { dir, repository, passwordFile };
}

test.beforeAll(async ({ request }) => {
  await ensureFirstAdmin(request);
});

test('the off-site panel explains itself, then copies a snapshot to a restic repository, lists it and restores from it', async ({ page }) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, ADMIN.username, ADMIN.password);
  await page.goto('/recovery');
  const panel = page.getByTestId('panel-offsite');
  // Nothing configured: the panel says what off-site copies are and which keys turn them on.
  await expect(panel.getByTestId('offsite-empty')).toContainText('restic');
  await expect(panel.getByTestId('offsite-empty')).toContainText('snapshots.offsite');
  await expect(panel.getByTestId('offsite-empty')).toContainText('passwordFile');
  await checkLayouts(page, 'empty');

  const configFile = path.join(consoleState().dataDir, 'vigil.config.yaml');
  const original = readFileSync(configFile, 'utf8');
  const restic = initRepository();
  try {
    const entry = `  offsite:\n    - { name: ${REPO}, repository: ${JSON.stringify(restic.repository)}, passwordFile: ${JSON.stringify(restic.passwordFile)} }\n`;
    expect(original).toContain('\nmodules:');
    writeFileSync(configFile, original.replace('\nmodules:', `\n${entry}modules:`));
    await expect
      .poll(async () =>
        ((await (await page.request.get('/api/snapshots/offsite')).json()) as { repositories: { name: string }[] }).repositories.map((r) => r.name),
      )
      .toEqual([REPO]);
    const created = await page.request.post('/api/snapshots', { data: { name: SNAPSHOT, tags: ['manual'] }, headers: await csrfHeaders(page) });
    expect(created.ok(), await created.text()).toBe(true);
    await page.reload();
    const repoRow = panel.getByTestId(`offsite-repo-${REPO}`);
    await expect(repoRow).toContainText(restic.repository);

    // Copy: the operation's progress reaches the page over the socket and ends finished.
    await repoRow.getByTestId('offsite-copy-open').click();
    await repoRow.getByTestId('offsite-copy-snapshot').selectOption(SNAPSHOT);
    await repoRow.getByTestId('offsite-copy-submit').click();
    await expect(repoRow.getByTestId('offsite-copy-done')).toContainText(`Copied ${SNAPSHOT} to ${REPO}`);
    const progress = page.getByTestId('panel-recovery').getByTestId('recovery-progress');
    await expect(progress).toContainText(`Off-site copy ${SNAPSHOT}`);
    await expect(progress).toHaveAttribute('data-finished', 'true');
    await expect(panel.getByTestId(`offsite-copy-${REPO}`)).toBeVisible();

    // List: what restic holds now.
    await repoRow.getByTestId('offsite-list-open').click();
    const listing = repoRow.getByTestId(`offsite-listing-${REPO}`);
    await expect(listing).toContainText(SNAPSHOT);
    await checkLayouts(page, 'listed');

    // Restore from the repository, through the golden restore's confirmation.
    const indexFile = path.join(snapshotSourceDir(), 'index.html');
    writeFileSync(indexFile, '<h1>lost with the server</h1>\n');
    await listing.getByRole('button', { name: `Restore ${SNAPSHOT} from ${REPO}` }).click();
    const restore = page.getByTestId('restore-dialog');
    await expect(restore).toContainText(`Restore from ${REPO}`);
    await restore.getByTestId('restore-reason').fill('server rebuilt from the off-site copy');
    await restore.getByTestId('restore-confirm').fill(SNAPSHOT.slice(0, -1));
    await expect(restore.getByTestId('restore-submit')).toBeDisabled();
    await restore.getByTestId('restore-confirm').fill(SNAPSHOT);
    await restore.getByTestId('restore-submit').click();
    await expect(restore.getByTestId('restore-result')).toHaveAttribute('data-outcome', 'restored');
    expect(readFileSync(indexFile, 'utf8')).toBe(SNAPSHOT_SOURCE.files['index.html']);
    await restore.getByTestId('restore-done').click();

    const recent = (await (await page.request.get('/api/audit/recent?limit=40')).json()).events as Array<{ type: string; actor: string }>;
    const types = recent.map((event) => event.type);
    expect(types).toEqual(expect.arrayContaining(['snapshot.offsite_copied', 'snapshot.offsite_fetched', 'snapshot.restored']));
  } finally {
    writeFileSync(configFile, original);
    rmSync(restic.dir, { recursive: true, force: true });
  }
});
