import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { ADMIN, consoleState, SCREENSHOT_DIR } from './support/console';
import { csrfHeaders, ensureFirstAdmin, signIn } from './support/actions';

interface Received {
  at: number;
  body: { kind: string; alert: { rule: string; status: string; count: number; alertId: string } };
}

/** A webhook receiver on loopback, as an operator's chat bridge would be. */
async function startReceiver(): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ at: Date.now(), body: JSON.parse(body) as Received['body'] });
      res.writeHead(200).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received, server };
}

test('a tampered critical file → LOCKDOWN → one grouped message on the webhook within 2 s, then acknowledged in the console', async ({ page, request }) => {
  test.setTimeout(120_000);
  await ensureFirstAdmin(request);
  const receiver = await startReceiver();
  const { dataDir } = consoleState();
  const configFile = path.join(dataDir, 'vigil.config.yaml');
  const original = readFileSync(configFile, 'utf8');
  // Outside the data directory, which file integrity never watches (the database changes there all the time).
  const watched = mkdtempSync(path.join(os.tmpdir(), 'vigil-e2e-critical-'));
  writeFileSync(path.join(watched, 'sshd_config'), 'PermitRootLogin no\n');
  try {
    await signIn(page, ADMIN.username, ADMIN.password);
    const integrity = async () => {
      const status = (await (await page.request.get('/api/integrity')).json()) as { scanning: boolean; lastScan: { files: number } | null };
      return { files: status.scanning || !status.lastScan ? -1 : status.lastScan.files };
    };
    // The start-up scan first, so the count below is the reloaded config's.
    await expect.poll(async () => (await integrity()).files, { timeout: 60_000 }).toBeGreaterThan(0);
    const filesBefore = (await integrity()).files;
    // One webhook channel and no alert rules of our own: the shipped rules must reach it.
    writeFileSync(
      configFile,
      `${original}\nnotifications:\n  channels:\n    - { name: e2e-hook, kind: webhook, url: "${receiver.url}" }\nintegrity:\n  paths:\n    - { path: ${JSON.stringify(watched)}, critical: true }\n  debounceMs: 50\n`,
    );
    // The reloaded config is in force once a scan counted the one file of the new root (a new root is trusted as it is).
    await expect.poll(async () => (await integrity()).files, { timeout: 30_000 }).toBe(filesBefore + 1);

    expect(receiver.received).toHaveLength(0);

    const tamperedAt = Date.now();
    writeFileSync(path.join(watched, 'sshd_config'), 'PermitRootLogin yes\n');
    await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBeGreaterThan(0);
    const first = receiver.received[0];
    test.info().annotations.push({ type: 'tamper to webhook', description: `${first.at - tamperedAt} ms` });
    expect(first.at - tamperedAt).toBeLessThan(2000);
    // Grouped: one message per rule for the burst, not one per event.
    await expect.poll(() => receiver.received.map((r) => r.body.alert.rule).sort(), { timeout: 10_000 }).toEqual(['critical file changed', 'lockdown engaged']);
    expect(receiver.received.every((r) => r.body.kind === 'alert' && r.body.alert.status === 'firing')).toBe(true);

    await page.goto('/alerts');
    const lockdown = page.getByTestId('alert-row').filter({ hasText: 'lockdown engaged' });
    await expect(lockdown).toHaveAttribute('data-state', 'firing');
    if (SCREENSHOT_DIR) await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'alerts-firing.png'), fullPage: true });
    await lockdown.getByTestId('alert-acknowledge').click();
    await expect(lockdown).toHaveAttribute('data-state', 'acknowledged');
    await expect(lockdown).toContainText(`acknowledged by user:${ADMIN.username}`);
    const audit = (await (await page.request.get('/api/audit?type=alert.acknowledged')).json()) as { events: Array<{ actor: string }> };
    expect(audit.events.map((event) => event.actor)).toContain(`user:${ADMIN.username}`);
    await page.setViewportSize({ width: 390, height: 844 });
    if (SCREENSHOT_DIR) await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'alerts-phone.png'), fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  } finally {
    writeFileSync(configFile, original);
    // The critical file goes only once the worker stopped watching it: removed while still
    // watched, it would engage LOCKDOWN again for the specs that follow.
    await expect
      .poll(
        async () => ((await (await page.request.get('/api/integrity')).json()) as { roots?: { path: string }[] }).roots?.some((root) => root.path === watched),
        {
          timeout: 30_000,
        },
      )
      .toBe(false)
      .catch(() => undefined);
    rmSync(watched, { recursive: true, force: true });
    await page.request.post('/api/defense/lockdown/lift', { data: { reason: 'alerts e2e done' }, headers: await csrfHeaders(page) }).catch(() => undefined);
    receiver.server.close();
  }
});
