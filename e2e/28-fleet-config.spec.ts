import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { ADMIN } from './support/console';
import { ensureFirstAdmin, signIn } from './support/actions';
import { createEnrollment, createFleetToken, startAgent, type RunningAgent } from './support/fleet-agents';
import { checkEveryLayout } from './support/layouts';

const SHOTS = path.join('test-results', 'fleet-config');
const WEB = 'e2e-cfg-web';

const agents: RunningAgent[] = [];

/** What the agent applied and kept for its next start (its machine API has no token in this run; the integration suite asks it). */
const agentModules = (agent: RunningAgent): string[] => {
  try {
    const kept = JSON.parse(readFileSync(path.join(agent.dataDir, 'fleet', 'pushed-config.json'), 'utf8')) as {
      push: { content: { modules?: Array<{ name: string }> } };
    };
    return (kept.push.content.modules ?? []).map((module) => module.name);
  } catch {
    return [];
  }
};

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ request }) => {
  await ensureFirstAdmin(request);
});

test.afterAll(async () => {
  await Promise.all(agents.map((agent) => agent.stop()));
});

test('an admin assigns modules to role=web from the fleet page, sees the host apply it, and rolls it back', async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page, ADMIN.username, ADMIN.password);
  const apiToken = await createFleetToken(page);
  agents.push(await startAgent({ name: WEB, token: await createEnrollment(page, apiToken, { role: 'web' }) }));
  await page.goto('/fleet');
  const state = page.getByTestId(`fleet-config-state-${WEB}`);
  await expect(state).toContainText('file only', { timeout: 60_000 });

  // Keyboard only: the labels, the YAML and the reason, then Enter on the button.
  await page.getByTestId('fleet-config-labels').fill('role=web');
  await page.getByTestId('fleet-config-yaml').fill('modules:\n  - { name: cfg-a, kind: tcp, host: 127.0.0.1, port: 9, intervalSeconds: 30 }\n');
  await page.getByTestId('fleet-config-reason').fill('web hosts probe a');
  await page.getByTestId('fleet-config-save').focus();
  await page.keyboard.press('Enter');
  await expect(state).toContainText('applied', { timeout: 60_000 });
  await expect.poll(() => agentModules(agents[0]), { timeout: 30_000 }).toEqual(['cfg-a']);

  await page.getByTestId('fleet-config-yaml').fill('modules:\n  - { name: cfg-b, kind: tcp, host: 127.0.0.1, port: 9, intervalSeconds: 30 }\n');
  await page.getByTestId('fleet-config-reason').fill('web hosts probe b');
  await page.getByTestId('fleet-config-save').click();
  await expect.poll(() => agentModules(agents[0]), { timeout: 30_000 }).toEqual(['cfg-b']);

  // An invalid one is refused with the field named, and nothing changes on the host.
  await page.getByTestId('fleet-config-yaml').fill('integrityPaths:\n  - path: /proc/self\n');
  await page.getByTestId('fleet-config-save').click();
  await expect(page.getByTestId('form-error')).toContainText('content.integrityPaths.0.path');

  await page.locator('[data-testid^="fleet-config-assignment-"]').first().click();
  await expect(page.getByTestId('fleet-config-versions').locator('tbody tr')).toHaveCount(2);
  await page.getByTestId('fleet-config-rollback-reason').fill('b was a mistake');
  await page.getByTestId('fleet-config-rollback-1').click();
  await expect(page.getByTestId('fleet-config-versions').locator('tbody tr')).toHaveCount(3);
  await expect.poll(() => agentModules(agents[0]), { timeout: 30_000 }).toEqual(['cfg-a']);
  await expect(state).toContainText('applied', { timeout: 60_000 });
});

test('the configuration panel fits a phone and a desktop, light and dark, and is accessible', async ({ browser }) => {
  test.setTimeout(240_000);
  mkdirSync(SHOTS, { recursive: true });
  await checkEveryLayout(
    browser,
    async (page) => {
      await signIn(page, ADMIN.username, ADMIN.password);
      await page.goto('/fleet');
      await expect(page.getByTestId(`fleet-config-state-${WEB}`)).toContainText('applied');
      await page.locator('[data-testid^="fleet-config-assignment-"]').first().click();
      await expect(page.getByTestId('fleet-config-versions').locator('tbody tr')).toHaveCount(3);
    },
    async (page, { layout, theme }) => {
      await page.getByTestId('panel-fleet-config').screenshot({ path: path.join(SHOTS, `fleet-config-${layout}-${theme}.png`) });
    },
  );
});
