import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ADMIN, consoleState, SCREENSHOT_DIR } from './support/console';
import { seriousAccessibilityViolations, setTheme } from './support/accessibility';
import { csrfHeaders, ensureFirstAdmin, signIn } from './support/actions';

const REPO = 'settings-restic';
const SNAPSHOT = 'offsite-from-settings';
const PASSWORD = 'settings restic passphrase';

type Sections = { sections: { section: string; origin: string; value: Record<string, unknown>; updatedAt: string | null }[] };
const inForce = async (page: Page, section: string) =>
  ((await (await page.request.get('/api/settings')).json()) as Sections).sections.find((s) => s.section === section)!;

let workDir: string;

test.beforeAll(async ({ request }) => {
  await ensureFirstAdmin(request);
  workDir = mkdtempSync(path.join(os.tmpdir(), 'vigil-e2e-settings-recovery-'));
});

test.afterAll(() => rmSync(workDir, { recursive: true, force: true }));

async function openSettings(page: Page) {
  await signIn(page, ADMIN.username, ADMIN.password);
  await page.goto('/settings');
  await expect(page.getByTestId('settings-snapshots')).toBeVisible();
}

async function revert(page: Page, section: string) {
  await page.getByTestId(`settings-${section}`).getByRole('button', { name: 'Revert to file' }).click();
  await expect(page.getByTestId(`settings-${section}-origin`)).toHaveText('from vigil.config.yaml');
}

test('an off-site restic repository added in Settings works in the Recovery panel without a restart; the password never reaches the console', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const repository = path.join(workDir, 'repo');
  const passwordFile = path.join(workDir, 'password');
  writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  const init = spawnSync('restic', ['init', '--repo', repository, '--password-file', passwordFile], { encoding: 'utf8' });
  expect(init.status, init.stderr).toBe(0);

  await signIn(page, ADMIN.username, ADMIN.password);
  await page.goto('/recovery');
  const empty = page.getByTestId('panel-offsite').getByTestId('offsite-empty');
  await expect(empty).toContainText('Settings');
  await empty.getByTestId('offsite-empty-settings').click();
  await expect(page).toHaveURL(/\/settings#settings-snapshots$/);

  const panel = page.getByTestId('settings-snapshots');
  await panel.getByRole('button', { name: 'Add off-site repository' }).click();
  const row = panel.getByTestId('offsite-repo-row');
  await row.getByLabel('Repository name').fill(REPO);
  // The box's name carries its hint or problem after the label: "Repository" but not "Repository name".
  await row.getByLabel(/^Repository(?! name)/).fill(repository);
  await row.getByLabel('Password file').fill('relative/password');
  await expect(row.getByTestId('field-problem')).toHaveText('must be an absolute path');
  await expect(panel.getByRole('button', { name: 'Save snapshot sources and schedule' })).toBeDisabled();
  await row.getByLabel('Password file').fill(passwordFile);
  await row.getByLabel('Keep daily').fill('7');
  await expect(row.getByTestId('field-problem')).toHaveCount(0);
  await panel.getByRole('button', { name: 'Save snapshot sources and schedule' }).click();
  await expect(page.getByTestId('settings-snapshots-origin')).toHaveText('set in the console');
  expect((await inForce(page, 'snapshots')).value.offsite).toEqual([expect.objectContaining({ name: REPO, repository, passwordFile, keep: { daily: 7 } })]);

  await expect
    .poll(async () =>
      ((await (await page.request.get('/api/snapshots/offsite')).json()) as { repositories: { name: string }[] }).repositories.map((r) => r.name),
    )
    .toEqual([REPO]);
  const created = await page.request.post('/api/snapshots', { data: { name: SNAPSHOT, tags: ['manual'] }, headers: await csrfHeaders(page) });
  expect(created.ok(), await created.text()).toBe(true);
  await page.goto('/recovery');
  const repoRow = page.getByTestId('panel-offsite').getByTestId(`offsite-repo-${REPO}`);
  await expect(repoRow).toContainText(repository);
  await repoRow.getByTestId('offsite-copy-open').click();
  await repoRow.getByTestId('offsite-copy-snapshot').selectOption(SNAPSHOT);
  await repoRow.getByTestId('offsite-copy-submit').click();
  await expect(repoRow.getByTestId('offsite-copy-done')).toContainText(`Copied ${SNAPSHOT} to ${REPO}`);
  await repoRow.getByTestId('offsite-list-open').click();
  await expect(repoRow.getByTestId(`offsite-listing-${REPO}`)).toContainText(SNAPSHOT);
  // restic has it: listed by restic itself, not only by the console.
  const listed = spawnSync('restic', ['snapshots', '--json', '--repo', repository, '--password-file', passwordFile], { encoding: 'utf8' });
  expect(listed.status, listed.stderr).toBe(0);
  expect(JSON.parse(listed.stdout)).toHaveLength(1);

  for (const url of ['/settings', '/recovery']) {
    await page.goto(url);
    expect(await page.content()).not.toContain(PASSWORD);
  }
  expect(await (await page.request.get('/api/settings')).text()).not.toContain(PASSWORD);
});

test('hooks and the health gate are edited as argv and checks; hostile sources are refused under their field or by the worker', async ({ page }) => {
  await openSettings(page);
  const panel = page.getByTestId('settings-snapshots');
  const save = panel.getByRole('button', { name: 'Save snapshot sources and schedule' });
  const hookArgument = `${workDir}/x; rm -rf / $(reboot) | tee /etc/passwd`;
  await panel.getByLabel('Stop hook (optional)').fill(`systemctl\nstop\n${hookArgument}`);
  await panel.getByRole('button', { name: 'Add health check' }).click();
  const check = panel.getByTestId('health-check-row');
  await check.getByLabel('Check').selectOption('tcp');
  await check.getByLabel('Host and port').fill('localhost');
  await expect(check.getByTestId('field-problem')).toHaveText('must be host:port');
  await expect(save).toBeDisabled();
  await check.getByLabel('Host and port').fill('127.0.0.1:8080');

  // The whole file system: refused as typed, in the browser, by the same schema the file uses.
  await panel.getByRole('button', { name: 'Add source' }).click();
  const source = panel.getByTestId('snapshot-source-row').last();
  await source.getByLabel('Path').fill('/');
  await expect(source.getByTestId('field-problem')).toHaveText(/must not be \/ \(the whole file system\)/);
  await expect(save).toBeDisabled();
  // The data directory: only the worker knows where it is; its 400 names the field.
  await source.getByLabel('Path').fill(consoleState().dataDir);
  await save.click();
  await expect(panel.getByTestId('form-error')).toContainText('snapshots.sources.');
  await expect(panel.getByTestId('form-error')).toContainText("Vigil's data directory");
  expect(JSON.stringify((await inForce(page, 'snapshots')).value.sources)).not.toContain(JSON.stringify(consoleState().dataDir));
  await source.getByRole('button', { name: /Remove source/ }).click();
  await save.click();
  await expect(panel.getByRole('status')).toHaveText('Saved; in force now.');
  const value = (await inForce(page, 'snapshots')).value as { hooks: { stop: string[] }; healthGate: { checks: unknown[] } };
  expect(value.hooks.stop).toEqual(['systemctl', 'stop', hookArgument]);
  expect(value.healthGate.checks).toEqual([{ tcp: '127.0.0.1:8080' }]);
  await page.reload();
  await expect(page.getByTestId('settings-snapshots').getByLabel('Stop hook (optional)')).toHaveValue(`systemctl\nstop\n${hookArgument}`);
});

test('custom log patterns get the schema’s message as typed: a regex that does not compile, one that could stall, and a device file', async ({ page }) => {
  await openSettings(page);
  const logs = page.getByTestId('settings-logs');
  const save = logs.getByRole('button', { name: 'Save log sources' });
  await logs.getByRole('button', { name: 'Add log file' }).click();
  const row = logs.getByTestId('log-file-row');
  await row.getByLabel('Log file').fill('/dev/zero');
  await expect(row.getByTestId('field-problem')).toHaveText('must not be under /dev: only regular log files are read');
  const logFile = path.join(workDir, 'app.log');
  writeFileSync(logFile, '');
  await row.getByLabel('Log file').fill(logFile);
  await row.getByLabel('Format').selectOption('custom');
  await expect(row).toContainText('a custom format needs at least one pattern');
  await row.getByRole('button', { name: 'Add pattern' }).click();
  const pattern = row.getByLabel('Pattern (regular expression)');
  await pattern.fill('login failed from (?<source>[');
  await expect(row.getByTestId('field-problem')).toHaveText('is not a valid regular expression');
  await expect(save).toBeDisabled();
  await pattern.fill('login failed from (?<source>(\\d+\\.?)+)');
  await expect(row.getByTestId('field-problem')).toHaveText(/repeats a group that itself repeats without bound/);
  await pattern.fill('login failed for (?<user>\\S+) from (?<source>\\S+)');
  await expect(row.getByTestId('field-problem')).toHaveCount(0);
  await save.click();
  await expect(page.getByTestId('settings-logs-origin')).toHaveText('set in the console');
  expect((await inForce(page, 'logs')).value.files).toEqual([
    { path: logFile, format: 'custom', patterns: [{ kind: 'auth_failure', regex: 'login failed for (?<user>\\S+) from (?<source>\\S+)' }], fromStart: false },
  ]);
});

test('"last set" is a readable local time with the exact instant in its title, and the page hydrates without an error', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())));
  page.on('pageerror', (error) => errors.push(error.message));
  await openSettings(page);
  const iso = (await inForce(page, 'logs')).updatedAt!;
  const time = page.getByTestId('settings-logs-updated-at');
  await expect(time).toHaveAttribute('data-local', 'true');
  await expect(time).toHaveAttribute('dateTime', iso);
  await expect(time).toHaveAttribute('title', iso);
  const text = (await time.textContent()) ?? '';
  expect(text).not.toContain('T');
  expect(text).toContain(String(new Date(iso).getFullYear()));
  await page.reload();
  await expect(page.getByTestId('settings-logs-updated-at')).toHaveAttribute('data-local', 'true');
  expect(errors).toEqual([]);
});

test('the new settings fit a phone and a desktop, light and dark, with no serious accessibility violation; then the file is back in force', async ({
  page,
}) => {
  await openSettings(page);
  for (const viewport of [
    { name: 'desktop', width: 1440, height: 900 },
    { name: 'phone', width: 390, height: 844 },
  ]) {
    await page.setViewportSize(viewport);
    for (const theme of ['light', 'dark'] as const) {
      await setTheme(page, theme);
      for (const section of ['snapshots', 'logs']) {
        await page.getByTestId(`settings-${section}`).scrollIntoViewIfNeeded();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `${viewport.name} ${theme}: horizontal overflow`).toBeLessThanOrEqual(0);
        const shot = path.join(SCREENSHOT_DIR ?? test.info().outputDir, `settings-recovery-${section}-${viewport.name}-${theme}.png`);
        await page.getByTestId(`settings-${section}`).screenshot({ path: shot });
      }
      expect(await seriousAccessibilityViolations(page), `${viewport.name} ${theme}`).toEqual([]);
    }
  }
  await setTheme(page, 'light');
  await revert(page, 'snapshots');
  await revert(page, 'logs');
});
