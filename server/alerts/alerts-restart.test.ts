import { afterEach, describe, expect, it } from 'vitest';
import type { AlertView, SilenceView } from '@/lib/alerts/alert-views';
import { api, createEmptyDatabase, TEST_API_TOKEN, waitFor, type EmptyDatabase } from '../test-support';
import { spawnWorkerProcess, type WorkerProcess } from '../test-support/dashboard-state';
import { internalCall } from '../test-support/defense-worker';
import { sendJsonResponse, startStubHttpServer, type StubHttpServer } from '../test-support/stub-http-server';

interface Overview {
  alerts: AlertView[];
  silences: SilenceView[];
}

interface StatusPost {
  id: string;
  title: string;
  updates: { status: string; message: string }[];
}

/** What an operator reads on the Alerts page, without the times a later event would move. */
const alertsShown = ({ alerts, silences }: Overview) => ({
  alerts: alerts
    .filter((alert) => alert.rule === 'app events')
    .map(({ id, rule, state, count, acknowledgedBy, ackComment }) => ({ id, rule, state, count, acknowledgedBy, ackComment }))
    .sort((a, b) => a.id.localeCompare(b.id)),
  silences: silences.map(({ id, endsAt, author, active }) => ({ id, endsAt, author, active })),
});

describe('alerts and status-page incidents across a worker killed with SIGKILL', () => {
  let db: EmptyDatabase | null = null;
  let hook: StubHttpServer | null = null;
  let workers: WorkerProcess[] = [];

  afterEach(async () => {
    for (const w of workers) {
      w.running.kill('SIGTERM');
      await w.running.exited;
    }
    await hook?.close();
    await db?.destroy();
    workers = [];
    hook = null;
    db = null;
  });

  it('come back as they were: the open and the acknowledged alert, the silence, the incident and its updates', { timeout: 120_000 }, async () => {
    db = await createEmptyDatabase('sqlite');
    hook = await startStubHttpServer((_request, res) => sendJsonResponse(res, 200, {}));
    const config = `notifications:
  channels:
    - { name: hook, kind: webhook, url: "${hook.url}/in" }
alerts:
  rules:
    - { name: app events, events: ["app.error", "app.custom"], groupBy: [type], groupWaitSeconds: 0, channels: [hook] }
modules:
  - { name: shop, kind: tcp, host: 127.0.0.1, port: 1, intervalSeconds: 30 }
statusPages:
  - { slug: public, title: Public, modules: [shop] }
`;
    const dataDir = db.dir.join('data');
    const first = await spawnWorkerProcess({ dataDir, databaseUrl: db.url, config, integrityScan: false });
    workers.push(first);
    const overview = async (port: number) => (await internalCall<Overview>(port, '/internal/v1/alerts')).body;
    const posts = async (port: number) => (await internalCall<{ active: StatusPost[] }>(port, '/internal/v1/status-pages/public/posts')).body;

    const events = [{ type: 'error', message: 'checkout failed' }, { type: 'custom' }];
    expect((await api(first.port, '/api/v1/events', { json: { events }, token: TEST_API_TOKEN })).status).toBe(202);
    const open = await waitFor(
      async () => ((await overview(first.port)).alerts.filter((a) => a.rule === 'app events').length === 2 ? overview(first.port) : null),
      {
        what: 'two alerts',
      },
    );
    const acked = await internalCall(first.port, `/internal/v1/alerts/${open.alerts.find((a) => a.rule === 'app events')!.id}/acknowledge`, {
      actor: 'alice',
      comment: 'on it',
    });
    expect(acked.status).toBe(200);
    const silenced = await internalCall(first.port, '/internal/v1/alerts/silences', {
      matchers: [{ name: 'module', value: 'batch-*' }],
      durationMinutes: 120,
      comment: 'planned batch window',
      actor: 'alice',
    });
    expect(silenced.status).toBe(201);
    const posted = await internalCall<{ id: string }>(first.port, '/internal/v1/status-pages/public/posts', {
      actor: 'alice',
      post: { kind: 'incident', title: 'Checkout errors', message: 'We are looking into it' },
    });
    expect(posted.status).toBe(201);
    expect(
      (
        await internalCall(first.port, `/internal/v1/status-pages/public/posts/${posted.body.id}/updates`, {
          actor: 'alice',
          update: { status: 'identified', message: 'Found it' },
        })
      ).status,
    ).toBe(200);

    const before = { alerts: alertsShown(await overview(first.port)), posts: await posts(first.port) };
    expect(before.alerts.alerts.map((a) => a.state).sort()).toEqual(['acknowledged', 'firing']);
    expect(before.alerts.silences).toHaveLength(1);
    expect(before.posts.active.map((post) => post.updates.length)).toEqual([2]);

    first.running.kill('SIGKILL');
    await first.running.exited;
    const second = await spawnWorkerProcess({ dataDir, databaseUrl: db.url, config, integrityScan: false });
    workers.push(second);
    expect({ alerts: alertsShown(await overview(second.port)), posts: await posts(second.port) }).toEqual(before);
  });
});
