import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { FOREIGN_LOCK_NONCE, writeForeignStoreLock } from '@/server/test-support/foreign-store-lock';
import { ADMIN, consoleState, SCREENSHOT_DIR } from './support/console';
import { ensureFirstAdmin, signIn } from './support/actions';

test.beforeAll(async ({ request }) => {
  await ensureFirstAdmin(request);
});

test('a snapshot asked for while another process holds the store waits its turn, saying for what, then is taken', async ({ page }) => {
  // Another process's long operation, as `vigil snapshot prune` from a shell would be.
  const holder = spawn('sleep', ['300']);
  const lock = path.join(consoleState().dataDir, 'snapshots', 'lock');
  try {
    await new Promise((resolve) => holder.once('spawn', resolve));
    writeForeignStoreLock(path.dirname(lock), holder.pid!, 'prune store');
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, ADMIN.username, ADMIN.password);
    await page.goto('/recovery');
    const panel = page.getByTestId('panel-recovery');
    await panel.getByTestId('snapshot-create-open').click();
    const create = page.getByTestId('snapshot-create-dialog');
    await create.getByTestId('snapshot-name').fill('after-the-wait');
    await create.getByTestId('snapshot-create-submit').click();

    const progress = create.getByTestId('recovery-progress');
    await expect(progress).toHaveAttribute('data-phase', 'queued');
    await expect(progress.getByTestId('recovery-progress-phase')).toHaveText('Waiting its turn…');
    await expect(progress.getByTestId('recovery-progress-waiting')).toContainText(`waiting for prune store (pid ${holder.pid}`);
    if (SCREENSHOT_DIR) await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'store-wait-desktop.png') });

    // The holder ends without releasing, as a killed prune would: the snapshot is taken at once.
    holder.kill('SIGKILL');
    await expect(create).toBeHidden();
    await expect(page.getByTestId('snapshot-table')).toContainText('after-the-wait');
  } finally {
    holder.kill('SIGKILL');
    // Only the lock this test wrote: never one the worker holds.
    if (existsSync(lock) && readFileSync(lock, 'utf8').includes(FOREIGN_LOCK_NONCE)) rmSync(lock, { force: true });
  }
});
