import { createHmac } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { findFreePort } from '../test-support';
import { sendJsonResponse, startStubHttpServer, type StubHttpServer } from '../test-support/stub-http-server';
import { notification, notifierHarness, type NotifierHarness } from './notify-test-kit';

const SECRET = 'hmac-secret-0123456789abcdef';
let servers: StubHttpServer[] = [];
let harness: NotifierHarness | null = null;

afterEach(async () => {
  await harness?.close();
  harness = null;
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

async function receiver(answer: (count: number, res: ServerResponse) => void): Promise<StubHttpServer> {
  let count = 0;
  const server = await startStubHttpServer((_request, res) => answer(++count, res));
  servers.push(server);
  return server;
}

describe('generic JSON webhook', () => {
  it('POSTs the notification, signed, and retries after a 500 with the same delivery id', async () => {
    const server = await receiver((count, res) => sendJsonResponse(res, count === 1 ? 500 : 200, {}));
    harness = await notifierHarness([{ name: 'ops-hook', kind: 'webhook', url: `${server.url}/hooks/vigil`, secret: SECRET, headers: { 'x-team': 'ops' } }]);
    const sent = notification('critical', { escalationLevel: 4 });
    harness.notifier.notify(sent);
    const [event] = await harness.events();

    expect(server.requests).toHaveLength(2);
    const [first, second] = server.requests;
    expect(first.method).toBe('POST');
    expect(first.path).toBe('/hooks/vigil');
    expect(first.headers['content-type']).toBe('application/json');
    expect(first.headers['x-team']).toBe('ops');
    expect(first.headers['x-vigil-event']).toBe('critical');
    expect(JSON.parse(second.body)).toEqual(sent);
    const expected = `sha256=${createHmac('sha256', SECRET).update(second.body).digest('hex')}`;
    expect(second.headers['x-vigil-signature']).toBe(expected);
    expect(second.headers['x-vigil-delivery']).toBe(first.headers['x-vigil-delivery']);

    expect(event).toMatchObject({
      type: 'notification.sent',
      severity: 'info',
      actor: 'system',
      module: 'api',
      method: 'webhook',
      resource: 'incident/inc-42',
    });
    expect(event.details).toMatchObject({ channel: 'ops-hook', kind: 'critical', attempts: 2, target: `127.0.0.1:${server.port}`, escalationLevel: 4 });
    expect(JSON.stringify(event)).not.toContain(SECRET);
  });

  it('does not retry a 4xx and audits the failure without the URL path or the secret', async () => {
    const server = await receiver((_count, res) => sendJsonResponse(res, 404, { error: 'no such hook' }));
    const url = `${server.url}/hooks/T000-secret-path`;
    harness = await notifierHarness([{ name: 'ops-hook', kind: 'webhook', url, secret: SECRET, retries: 3 }]);
    harness.notifier.notify(notification());
    const [event] = await harness.events();

    expect(server.requests).toHaveLength(1);
    expect(event).toMatchObject({ type: 'notification.failed', severity: 'warning', reason: 'the receiver answered HTTP 404' });
    expect(event.details).toMatchObject({ attempts: 1 });
    for (const text of [JSON.stringify(event), harness.logText()]) {
      expect(text).not.toContain('T000-secret-path');
      expect(text).not.toContain(SECRET);
    }
  });

  it('gives up on a dead receiver after its retries', async () => {
    const port = await findFreePort();
    harness = await notifierHarness([{ name: 'gone', kind: 'webhook', url: `http://127.0.0.1:${port}/x`, retries: 2 }]);
    harness.notifier.notify(notification());
    const [event] = await harness.events();
    expect(event.type).toBe('notification.failed');
    expect(event.reason).toBe('could not reach the receiver: ECONNREFUSED');
    expect(event.details).toMatchObject({ attempts: 3 });
  });

  it('sends only to channels whose level and kind filters take the notification', async () => {
    const server = await receiver((_count, res) => sendJsonResponse(res, 204, null));
    harness = await notifierHarness([
      { name: 'everyone', kind: 'webhook', url: `${server.url}/all` },
      { name: 'pager', kind: 'webhook', url: `${server.url}/pager`, minLevel: 4 },
      { name: 'no-reminders', kind: 'webhook', url: `${server.url}/quiet`, kinds: ['alert', 'critical', 'recovery'] },
    ]);
    harness.notifier.notify(notification('alert', { escalationLevel: 3 }));
    harness.notifier.notify(notification('reminder', { escalationLevel: 4 }));
    await harness.events();
    const paths = server.requests.map((request) => `${request.path} ${JSON.parse(request.body).kind}`).sort();
    expect(paths).toEqual(['/all alert', '/all reminder', '/pager reminder', '/quiet alert']);
  });

  it('a receiver that never answers delays nobody else', async () => {
    const slow = await receiver(() => undefined);
    const fast = await receiver((_count, res) => sendJsonResponse(res, 200, {}));
    harness = await notifierHarness([
      { name: 'slow', kind: 'webhook', url: slow.url, timeoutSeconds: 3, retries: 0 },
      { name: 'fast', kind: 'webhook', url: fast.url },
    ]);
    harness.notifier.notify(notification('alert'));
    harness.notifier.notify(notification('reminder'));
    const events = await harness.events();
    // The fast one's two deliveries are on the chain before the slow one's first time-out: it got
    // both while the slow one was stuck (whose second request followed its first's time-out).
    expect(events.map((e) => [e.type, (e.details as { channel?: string }).channel])).toEqual([
      ['notification.sent', 'fast'],
      ['notification.sent', 'fast'],
      ['notification.failed', 'slow'],
      ['notification.failed', 'slow'],
    ]);
    expect(events.filter((e) => e.type === 'notification.failed').map((e) => e.reason)).toEqual(['no answer within 3 s', 'no answer within 3 s']);
    expect(fast.requests).toHaveLength(2);
    expect(slow.requests).toHaveLength(2);
  });
});

describe('Slack-compatible webhook', () => {
  it('posts text plus a coloured attachment with blocks', async () => {
    const server = await receiver((_count, res) => res.end('ok'));
    harness = await notifierHarness([{ name: 'slack', kind: 'slack', url: `${server.url}/services/T1/B2/xyz` }]);
    harness.notifier.notify(notification('critical', { escalationLevel: 4, title: 'disk <full> & failing' }));
    harness.notifier.notify(notification('recovery', { state: 'resolved', resolvedAt: '2026-06-01T10:30:00.000Z' }));
    const events = await harness.events();
    expect(events.map((e) => e.type)).toEqual(['notification.sent', 'notification.sent']);

    const [critical, recovery] = server.requests.map((request) => JSON.parse(request.body));
    expect(critical.text).toBe('[Vigil] CRITICAL api: disk <full> & failing');
    expect(critical.attachments[0].color).toBe('#e01e5a');
    const section = critical.attachments[0].blocks[0].text;
    expect(section.type).toBe('mrkdwn');
    expect(section.text).toContain('<https://vigil.example/incidents/inc-42|disk &lt;full&gt; &amp; failing>');
    expect(critical.attachments[0].blocks[1].elements[0].text).toContain('Escalation level: *4 of 5*');
    expect(recovery.attachments[0].color).toBe('#2eb67d');
    expect(recovery.text).toContain('Resolved');
    // The token in a Slack URL's path is its password.
    expect(JSON.stringify(events)).not.toContain('/services/T1/B2/xyz');
  });
});

describe('test notifications', () => {
  it('sends one attempt to the named channel and reports the result as a value', async () => {
    const server = await receiver((count, res) => sendJsonResponse(res, count === 1 ? 200 : 503, {}));
    harness = await notifierHarness([{ name: 'ops-hook', kind: 'webhook', url: server.url, retries: 5 }]);
    expect(await harness.notifier.test({ channel: 'ops-hook', actor: 'alice' })).toEqual({ code: 'sent', attempts: 1, error: null });
    expect(await harness.notifier.test({ channel: 'ops-hook', actor: 'alice' })).toEqual({
      code: 'failed',
      attempts: 1,
      error: 'the receiver answered HTTP 503',
    });
    expect(await harness.notifier.test({ channel: 'nope', actor: 'alice' })).toMatchObject({ code: 'not_found', attempts: 0 });
    expect(JSON.parse(server.requests[0].body)).toMatchObject({ test: true, kind: 'alert' });
    const events = await harness.events();
    expect(events.map((e) => [e.type, e.actor, e.details.test])).toEqual([
      ['notification.sent', 'alice', true],
      ['notification.failed', 'alice', true],
    ]);
    expect(harness.notifier.channels()).toEqual([
      { name: 'ops-hook', kind: 'webhook', target: `127.0.0.1:${server.port}`, minLevel: 3, kinds: null, queued: 0 },
    ]);
  });
});
