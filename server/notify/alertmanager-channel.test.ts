import { afterEach, describe, expect, it } from 'vitest';
import { notificationsConfigSchema } from '@/lib/config/notifications-config';
import { findFreePort } from '../test-support';
import { sendJsonResponse, startStubHttpServer, type StubHttpServer } from '../test-support/stub-http-server';
import { notification, notifierHarness, type NotifierHarness } from './notify-test-kit';

// The real Alertmanager is exercised in server/http/alertmanager-loop.test.ts; this stub checks
// what the real one cannot show: the exact request, the credentials and the failure paths.
const TOKEN = 'am-bearer-0123456789abcdef';
/** Stub servers and the harness of the running test, closed after it, newest first. */
const open: Array<{ close(): Promise<void> }> = [];

afterEach(async () => {
  for (let next = open.pop(); next; next = open.pop()) await next.close();
  delete process.env.VIGIL_TEST_AM_TOKEN;
  delete process.env.VIGIL_TEST_AM_PASSWORD;
});

async function alertmanagerStub(status = 200): Promise<StubHttpServer> {
  const server = await startStubHttpServer((_request, res) => sendJsonResponse(res, status, status === 200 ? '' : { error: 'no' }));
  open.push(server);
  return server;
}

async function channelHarness(channel: Record<string, unknown>): Promise<NotifierHarness> {
  const harness = await notifierHarness([{ name: 'am', kind: 'alertmanager', ...channel }]);
  open.push(harness);
  return harness;
}

describe('the alertmanager channel', () => {
  it('posts one v2 alert with stable labels, and resolves it with the same labels on recovery', async () => {
    process.env.VIGIL_TEST_AM_TOKEN = TOKEN;
    const server = await alertmanagerStub();
    const harness = await channelHarness({
      urls: [`${server.url}/am/`],
      auth: { bearerTokenEnv: 'VIGIL_TEST_AM_TOKEN' },
      labels: { team: 'ops', severity: 'overridden' },
      instance: 'vigil-1',
    });
    harness.notifier.notify(notification('alert', { escalationLevel: 3 }));
    harness.notifier.notify(notification('critical', { escalationLevel: 4 }));
    const before = Date.now();
    harness.notifier.notify(notification('recovery', { state: 'resolved', resolvedAt: '2026-06-01T10:30:00.000Z', escalationLevel: 4 }));
    const events = await harness.events();
    expect(events.map((e) => [e.type, e.method, e.details.target])).toEqual([
      ['notification.sent', 'alertmanager', `127.0.0.1:${server.port}`],
      ['notification.sent', 'alertmanager', `127.0.0.1:${server.port}`],
      ['notification.sent', 'alertmanager', `127.0.0.1:${server.port}`],
    ]);

    expect(server.requests.map((r) => [r.method, r.path, r.headers.authorization, r.headers['content-type']])).toEqual(
      Array.from({ length: 3 }, () => ['POST', '/am/api/v2/alerts', `Bearer ${TOKEN}`, 'application/json']),
    );
    const [alert, critical, recovery] = server.requests.map(
      (r) =>
        JSON.parse(r.body) as Array<{
          labels: Record<string, string>;
          annotations: Record<string, string>;
          startsAt: string;
          endsAt: string;
          generatorURL: string;
        }>,
    );
    expect(alert).toHaveLength(1);
    expect(alert[0].labels).toEqual({
      alertname: 'VigilModuleDown',
      module: 'api',
      severity: 'critical',
      instance: 'vigil-1',
      vigil_incident: 'inc-42',
      team: 'ops',
    });
    expect(alert[0].annotations).toMatchObject({
      summary: 'health check failing',
      description: 'api stopped answering; 5 restarts did not help',
      escalation_level: '3',
      failure_class: 'service_failure',
      root_cause: 'network',
      incident_url: 'https://vigil.example/incidents/inc-42',
    });
    expect(alert[0].startsAt).toBe('2026-06-01T10:00:00.000Z');
    expect(alert[0].generatorURL).toBe('https://vigil.example/incidents/inc-42');
    // Firing: Alertmanager keeps it for expireAfterMinutes (60) unless Vigil says more.
    expect(Date.parse(alert[0].endsAt) - before).toBeGreaterThan(59 * 60_000);
    // Escalating changes an annotation, never a label: it is still the same alert.
    expect(critical[0].labels).toEqual(alert[0].labels);
    expect(critical[0].annotations.escalation_level).toBe('4');
    expect(recovery[0].labels).toEqual(alert[0].labels);
    expect(Date.parse(recovery[0].endsAt)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(recovery[0].endsAt)).toBeLessThanOrEqual(Date.now());

    for (const text of [JSON.stringify(events), harness.logText()]) expect(text).not.toContain(TOKEN);
  });

  it('tries each Alertmanager of a cluster until one takes the alert, with basic auth', async () => {
    process.env.VIGIL_TEST_AM_PASSWORD = 's3cret-password';
    const dead = `http://127.0.0.1:${await findFreePort()}`;
    const server = await alertmanagerStub();
    const harness = await channelHarness({ urls: [dead, server.url], auth: { username: 'vigil', passwordEnv: 'VIGIL_TEST_AM_PASSWORD' }, retries: 0 });
    harness.notifier.notify(notification());
    const [event] = await harness.events();
    expect(event).toMatchObject({ type: 'notification.sent', details: { attempts: 1 } });
    expect(server.requests[0].headers.authorization).toBe(`Basic ${Buffer.from('vigil:s3cret-password').toString('base64')}`);
  });

  it('fails for good, naming the variable but not its value, when a credential is missing or refused', async () => {
    const server = await alertmanagerStub(401);
    const harness = await channelHarness({ urls: [server.url], auth: { bearerTokenEnv: 'VIGIL_TEST_AM_TOKEN' }, retries: 3 });
    harness.notifier.notify(notification());
    const [missing] = await harness.events();
    expect(missing).toMatchObject({
      type: 'notification.failed',
      reason: 'the environment variable VIGIL_TEST_AM_TOKEN named by auth is not set',
      details: { attempts: 1 },
    });
    expect(server.requests).toHaveLength(0);

    process.env.VIGIL_TEST_AM_TOKEN = TOKEN;
    harness.notifier.notify(notification('reminder'));
    const [, refused] = await harness.events();
    // A 4xx answers the same on every retry.
    expect(refused).toMatchObject({ type: 'notification.failed', reason: 'the receiver answered HTTP 401', details: { attempts: 1 } });
    expect(harness.logText()).not.toContain(TOKEN);
  });

  it('validates its config', () => {
    const parse = (channel: Record<string, unknown>) => notificationsConfigSchema.safeParse({ channels: [{ name: 'am', kind: 'alertmanager', ...channel }] });
    const parsed = parse({ urls: ['http://127.0.0.1:9093'] });
    expect(parsed.success && parsed.data.channels[0]).toMatchObject({ labels: {}, expireAfterMinutes: 60, minLevel: 3, retries: 3 });
    const problems = (channel: Record<string, unknown>) => (parse(channel).error?.issues ?? []).map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    expect(problems({ urls: [] })).toEqual(['channels.0.urls: Too small: expected array to have >=1 items']);
    expect(problems({ urls: ['http://user:pw@127.0.0.1:9093'] })).toEqual(['channels.0.urls.0: no credentials in the URL: use auth']);
    expect(problems({ urls: ['http://am:9093'], labels: { 'bad-name': 'x' } })).toEqual([
      'channels.0.labels.bad-name: not a Prometheus label name (letters, digits and _, not starting with a digit)',
    ]);
    expect(problems({ urls: ['http://am:9093'], auth: { bearerTokenEnv: 'not a name' } })).not.toEqual([]);
  });
});
