import { realpathSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, waitFor, type TempDir, type TestWorker } from '../../test-support';
import { internalCall, startDefenseWorker } from '../../test-support/defense-worker';
import { guardCheck } from '../../test-support/guard';

/**
 * What else a check consults reaches the guard process as it changes: an imported list, the
 * operators' allowlist, and a reloaded configuration's trusted proxies.
 */
describe('the dedicated guard process follows lists, the allowlist and reloads', () => {
  let t: TestWorker;
  let dir: TempDir;
  let guardPort: number;
  const config = (proxies: string, list: string) =>
    `trustedProxies: [${proxies}]\ndefense:\n  blocklists:\n    - { name: local, path: "${list}", refreshMinutes: 60 }\n`;
  const answers = (from: string, xff: string, status: number) =>
    waitFor(async () => (await guardCheck(guardPort, { from, headers: { 'x-forwarded-for': xff } })).status === status, {
      what: `the guard process answering ${status} for ${xff} from ${from}`,
    });

  beforeAll(async () => {
    dir = makeTempDir('vigil-guard-lists-');
    const list = `${realpathSync(dir.path)}/local.netset`;
    writeFileSync(list, '# local\n100.64.0.0/10\n');
    t = await startDefenseWorker({ yaml: config('"127.0.0.1"', list), vars: { VIGIL_GUARD_PORT: '0' } });
    guardPort = t.worker.guard!.port!;
  });
  afterAll(async () => {
    await t?.destroy();
    dir?.remove();
  });

  it('refuses an imported list, and lets through what an operator allowlists', async () => {
    await answers('127.0.0.1', '100.64.1.1', 403);
    expect((await guardCheck(guardPort, { headers: { 'x-forwarded-for': '100.128.0.1' } })).status).toBe(204);
    const allowed = await internalCall(t.port, '/internal/v1/defense/allowlist', { actor: 'user:admin', source: '100.64.1.1', reason: 'our partner' });
    expect(allowed.status).toBe(200);
    await answers('127.0.0.1', '100.64.1.1', 204);
    expect((await guardCheck(guardPort, { headers: { 'x-forwarded-for': '100.64.1.2' } })).status).toBe(403);
  });

  it('believes a proxy added by a configuration reload', async () => {
    // 127.0.0.3 is not a proxy yet: its own address decides, and loopback passes.
    expect((await guardCheck(guardPort, { from: '127.0.0.3', headers: { 'x-forwarded-for': '100.64.1.2' } })).status).toBe(204);
    writeFileSync(t.env.configPath, config('"127.0.0.1", "127.0.0.3"', `${realpathSync(dir.path)}/local.netset`));
    await answers('127.0.0.3', '100.64.1.2', 403);
  });
});
