import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { SectionView } from '@/lib/settings/editable-sections';
import { internalToken } from '../auth/keys';
import { startWorker } from '../worker';
import { api, FixedSampler, makeTempDir, PROVIDERS, silentLogger, startTestWorker, TEST_SECRET, waitFor, type TempDir, type TestWorker } from '../test-support';
import { startStubHttpServer, type StubHttpServer } from '../test-support/stub-http-server';

// The path of a webhook URL is its credential: it must never come back out.
const FILE_TOKEN = 'file-token-0123456789abcdef';
const CONSOLE_TOKEN = 'console-token-fedcba9876543210';

describe.each(PROVIDERS)('console config sections on %s', (provider) => {
  let t: TestWorker;
  let dir: TempDir;
  let fileReceiver: StubHttpServer;
  let consoleReceiver: StubHttpServer;
  const call = <T>(path: string, json?: unknown) => api<T>(t.port, `/internal/v1${path}`, { token: internalToken(TEST_SECRET), json });
  const sections = async () => (await call<{ sections: SectionView[] }>('/settings')).body.sections;
  const sectionOf = async (name: string) => (await sections()).find((s) => s.section === name)!;
  const consoleChannel = () => ({ name: 'ops', kind: 'webhook', url: `${consoleReceiver.url}/hook/${CONSOLE_TOKEN}`, retries: 0 });

  beforeAll(async () => {
    fileReceiver = await startStubHttpServer((_request, res) => res.writeHead(204).end());
    consoleReceiver = await startStubHttpServer((_request, res) => res.writeHead(204).end());
    dir = makeTempDir();
    mkdirSync(dir.join('watched'));
    const configPath = dir.join('vigil.config.yaml');
    writeFileSync(configPath, `notifications:\n  channels:\n    - { name: ops, kind: webhook, url: "${fileReceiver.url}/hook/${FILE_TOKEN}", retries: 0 }\n`);
    t = await startTestWorker({ provider, vars: { VIGIL_CONFIG: configPath } });
  });

  afterAll(async () => {
    await t?.destroy();
    await fileReceiver?.close();
    await consoleReceiver?.close();
    dir?.remove();
  });

  it("shows the file's sections as from the file, with the webhook's token masked", async () => {
    const notifications = await sectionOf('notifications');
    expect(notifications.origin).toBe('file');
    expect(JSON.stringify(notifications)).not.toContain(FILE_TOKEN);
    expect(JSON.stringify(notifications.value)).toContain(new URL(fileReceiver.url).host);
  });

  it('puts a saved channel in force at once, sealed at rest and audited without its secret', async () => {
    const saved = await call<SectionView>('/settings/notifications', { actor: 'user:ada', value: { channels: [consoleChannel()] } });
    expect(saved.status).toBe(200);
    expect(saved.body.origin).toBe('console');
    expect(saved.text).not.toContain(CONSOLE_TOKEN);

    const test = await call<{ code: string }>('/notifications/channels/ops/test', { actor: 'user:ada' });
    expect(test.body.code).toBe('sent');
    expect(consoleReceiver.requests.map((r) => r.path)).toEqual([`/hook/${CONSOLE_TOKEN}`]);
    expect(fileReceiver.requests).toHaveLength(0);

    const row = await t.worker.database.prisma.setting.findUnique({ where: { key: 'config.console.notifications' } });
    expect(row?.value).toBeTruthy();
    expect(row!.value).not.toContain(CONSOLE_TOKEN);
    expect(row!.value).not.toContain(consoleReceiver.url);

    await t.worker.audit.flush();
    const events = await t.worker.database.prisma.auditEvent.findMany({ where: { type: 'config.section_changed' } });
    expect(events).toHaveLength(1);
    expect(events[0].actor).toBe('user:ada');
    expect(events[0].details).not.toContain(CONSOLE_TOKEN);
    expect(events[0].details).not.toContain(FILE_TOKEN);
    expect(events[0].details).toContain('notifications.channels.0.url');
  });

  it('keeps a stored secret where the browser sends back its mask, and refuses a mask with nothing to keep', async () => {
    const masked = (await sectionOf('notifications')).value as { channels: Record<string, unknown>[] };
    const kept = await call<SectionView>('/settings/notifications', {
      actor: 'user:ada',
      value: { channels: [{ ...masked.channels[0], minLevel: 4 }] },
    });
    expect(kept.status).toBe(200);
    expect((await call<{ code: string }>('/notifications/channels/ops/test', { actor: 'user:ada' })).body.code).toBe('sent');
    expect(consoleReceiver.requests.at(-1)?.path).toBe(`/hook/${CONSOLE_TOKEN}`);

    const renamed = await call<{ error: { code: string; message: string } }>('/settings/notifications', {
      actor: 'user:ada',
      value: { channels: [{ ...masked.channels[0], name: 'renamed' }] },
    });
    expect(renamed.status).toBe(400);
    expect(renamed.body.error.message).toContain('notifications.channels.0.url');
  });

  it('refuses a value the file would refuse, naming the field, and keeps what is in force', async () => {
    const before = await sectionOf('notifications');
    const bad = await call<{ error: { code: string; message: string } }>('/settings/notifications', {
      actor: 'user:ada',
      value: { channels: [{ ...consoleChannel(), url: 'ftp://nope' }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_setting');
    expect(bad.body.error.message).toContain('notifications.channels.0.url');
    expect(await sectionOf('notifications')).toEqual(before);
    expect((await call('/settings/nonsense', { actor: 'user:ada', value: {} })).status).toBe(404);
  });

  it('watches an integrity path saved in the console without a restart', async () => {
    const watched = dir.join('watched');
    writeFileSync(`${watched}/app.conf`, 'listen 80\n');
    const saved = await call<SectionView>('/settings/integrity', { actor: 'user:ada', value: { paths: [{ path: watched }], debounceMs: 50 } });
    expect(saved.status).toBe(200);
    await waitFor(
      () => {
        const status = t.worker.fileIntegrity.status();
        return status.roots.some((root) => root.path === watched) && !status.scanning && (status.lastScan?.files ?? 0) >= 1 && status.realtime.active;
      },
      { what: 'the new path scanned into the baseline and watched' },
    );
    writeFileSync(`${watched}/app.conf`, 'listen 8080\n');
    await waitFor(() => t.worker.fileIntegrity.status().recentFindings.some((finding) => finding.path.endsWith('app.conf')), {
      what: 'a finding for the changed file',
    });
  });

  it('keeps console sections across a restart, and reverting puts the file back in force', async () => {
    await t.worker.close('restart');
    const again = await startWorker({ env: t.env, sampler: new FixedSampler(), log: silentLogger() });
    t = { ...t, worker: again, port: again.port };
    expect((await sectionOf('notifications')).origin).toBe('console');

    const reverted = await api<SectionView>(t.port, '/internal/v1/settings/notifications/revert', {
      token: internalToken(TEST_SECRET),
      json: { actor: 'user:ada' },
    });
    expect(reverted.body.origin).toBe('file');
    expect((await call<{ code: string }>('/notifications/channels/ops/test', { actor: 'user:ada' })).body.code).toBe('sent');
    expect(fileReceiver.requests.map((r) => r.path)).toEqual([`/hook/${FILE_TOKEN}`]);
    expect((await call('/settings/notifications/revert', { actor: 'user:ada' })).status).toBe(404);
  });
});
