import { mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { ADMIN, consoleState, SCREENSHOT_DIR, WEB_PORT, WORKER_PORT } from './support/console';
import { ensureFirstAdmin, signIn } from './support/actions';

/** The list server's port: one of this run's own, next to the console's. */
const LIST_PORT = WEB_PORT + 2;
const VIEWPORTS = [
  { name: '1440', width: 1440, height: 900 },
  { name: '390', width: 390, height: 844 },
] as const;

test('imported lists show their counts, a refused refresh its reason, and refresh now is audited', async ({ page }) => {
  await ensureFirstAdmin(page.request);
  let feed = '# feed\n198.51.100.0/25\n198.51.100.128/25\n203.0.113.7\n2001:db8:bad::/48\n';
  let html = false;
  const server: Server = createServer((_req, res) =>
    html ? res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>') : res.end(feed),
  );
  await new Promise<void>((resolve) => server.listen(LIST_PORT, '127.0.0.1', resolve));
  const configFile = path.join(consoleState().dataDir, 'vigil.config.yaml');
  const good = readFileSync(configFile, 'utf8');
  const listFile = path.join(realpathSync(consoleState().dataDir), 'local.netset');
  writeFileSync(listFile, '# local\n100.64.0.0/10\n10.0.0.0/8\n127.0.0.0/8\n');
  try {
    writeFileSync(
      configFile,
      `${good}\ndefense:\n  blocklists:\n    - { name: feed, url: "http://127.0.0.1:${LIST_PORT}/feed.txt", refreshMinutes: 30 }\n    - { name: local, path: ${JSON.stringify(listFile)}, refreshMinutes: 60 }\n`,
    );
    await signIn(page, ADMIN.username, ADMIN.password);
    await page.goto('/defense');
    const panel = page.getByTestId('panel-blocklists');
    const row = (name: string) => panel.locator(`[data-testid="blocklist"][data-name="${name}"]`);
    await expect(row('feed').getByTestId('blocklist-entries')).toHaveText('4');
    await expect(row('feed').getByTestId('blocklist-intervals')).toHaveText('3');
    await expect(row('local')).toContainText('in force');
    await expect(row('local')).toContainText(listFile);
    const guard = (client: string) =>
      page.request.get(`http://127.0.0.1:${WORKER_PORT}/guard/check`, { headers: { 'x-forwarded-for': client } }).then((r) => r.status());
    expect(await guard('198.51.100.9')).toBe(403);
    expect(await guard('100.64.1.1')).toBe(403);
    expect(await guard('203.0.113.8')).toBe(204);

    html = true;
    await row('feed').getByTestId('blocklist-refresh').click();
    await expect(row('feed').getByTestId('blocklist-error')).toContainText('the source answered with an HTML page, not a list of addresses');
    await expect(row('feed').getByTestId('blocklist-error')).toContainText('the previous list stays in force');
    expect(await guard('198.51.100.9')).toBe(403);
    const events = (await (await page.request.get('/api/audit/recent?limit=50')).json()).events as Array<{ type: string; actor: string }>;
    expect(events.find((e) => e.type === 'defense.blocklist_refresh_failed')?.actor).toBe(`user:${ADMIN.username}`);

    for (const viewport of VIEWPORTS) {
      await page.setViewportSize({ width: viewport.width, height: viewport.height });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${viewport.name}: page wider than the screen`).toBeLessThanOrEqual(0);
      if (SCREENSHOT_DIR) {
        mkdirSync(SCREENSHOT_DIR, { recursive: true });
        await panel.scrollIntoViewIfNeeded();
        await panel.screenshot({ path: path.join(SCREENSHOT_DIR, `blocklists-${viewport.name}.png`) });
      }
    }
    await page.setViewportSize({ width: 1440, height: 900 });

    html = false;
    feed = '198.51.100.0/24\n';
    await row('feed').getByTestId('blocklist-refresh').click();
    await expect(row('feed').getByTestId('blocklist-entries')).toHaveText('1');
    await expect(row('feed')).toContainText('in force');
    expect(await guard('203.0.113.7')).toBe(204);
  } finally {
    writeFileSync(configFile, good);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
