import { writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertMessage } from '@/lib/alerts/alert-message';
import { notificationChannelSchema } from '@/lib/config/notifications-config';
import { alertsHarness, type AlertsHarness } from '../../alerts/alerts-test-kit';
import { makeTempDir, waitFor } from '../../test-support';
import { sendJsonResponse, startStubHttpServer, type RecordedRequest, type StubHttpServer } from '../../test-support/stub-http-server';
import { DeliveryError } from '../delivery-error';
import { sendAlert } from './send-alert';

let servers: StubHttpServer[] = [];
let harness: AlertsHarness | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
  delete process.env.VIGIL_TEST_SECRET;
});

async function receiver(answer: (request: RecordedRequest, res: ServerResponse, count: number) => void) {
  let count = 0;
  const server = await startStubHttpServer((request, res) => answer(request, res, ++count));
  servers.push(server);
  return server;
}

const message = (over: Partial<AlertMessage> = {}): AlertMessage => ({
  alertId: 'a-1',
  dedupKey: 'vigil-alert-a-1',
  deliveryId: 'd-1',
  status: 'firing',
  rule: 'lockdown engaged',
  severity: 'critical',
  summary: 'lockdown engaged: 2 events defense.lockdown on defense',
  labels: { type: 'defense.lockdown', module: 'defense', host: 'web-1' },
  count: 2,
  newEvents: 2,
  firstAt: '2026-12-06T10:00:00.000Z',
  lastAt: '2026-12-06T10:00:01.000Z',
  samples: [
    {
      seq: 7,
      at: '2026-12-06T10:00:00.000Z',
      type: 'defense.lockdown',
      severity: 'critical',
      action: 'defense mode NORMAL → LOCKDOWN',
      module: 'defense',
      resource: null,
      source: null,
    },
  ],
  acknowledgedBy: null,
  link: null,
  ...over,
});

const send = (channel: Record<string, unknown>, over: Partial<AlertMessage> = {}) =>
  sendAlert(notificationChannelSchema.parse({ name: 'c', ...channel }), message(over), new AbortController().signal);
const json = (request: RecordedRequest) => JSON.parse(request.body) as Record<string, unknown>;

describe('alert channels against receivers speaking each protocol', () => {
  it('Telegram: sendMessage with the bot token from a file; a 429 waits retry_after, then delivers', async () => {
    const bot = await receiver((request, res, count) =>
      count === 1
        ? sendJsonResponse(res, 429, { ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } })
        : sendJsonResponse(res, 200, { ok: true, result: { message_id: count } }),
    );
    const dir = makeTempDir();
    writeFileSync(dir.join('token'), '123:ABC\n');
    harness = await alertsHarness({
      channels: [{ name: 'tg', kind: 'telegram', botToken: { file: dir.join('token') }, chatId: -100123, apiUrl: bot.url }],
      alerts: { defaults: false, rules: [{ name: 'locks', events: ['defense.lockdown'], groupWaitSeconds: 0 }] },
    });
    await harness.append({ type: 'defense.lockdown', severity: 'critical' });
    const delivered = await waitFor(async () => (await harness!.events('alert.delivered')).at(0), { timeoutMs: 8000 });
    expect(bot.requests).toHaveLength(2);
    expect(bot.requests[0].path).toBe('/bot123:ABC/sendMessage');
    const gap = Date.parse(delivered.at) - Date.parse((await harness.events('alert.notified'))[0].at);
    expect(gap).toBeGreaterThanOrEqual(900);
    expect(json(bot.requests[1])).toMatchObject({ chat_id: -100123, disable_web_page_preview: true });
    expect(String(json(bot.requests[1]).text)).toContain('FIRING locks');
    expect(harness.logText()).not.toContain('123:ABC');
    dir.remove();
  });

  it('Telegram: a missing token fails without retrying and names the variable, never a value', async () => {
    await expect(send({ kind: 'telegram', botToken: { env: 'VIGIL_TEST_SECRET' }, chatId: '1', apiUrl: 'http://127.0.0.1:9' })).rejects.toMatchObject({
      retryable: false,
      message: 'the environment variable VIGIL_TEST_SECRET is not set',
    });
  });

  it('Discord: an embed with mentions disabled; a 429 carries its fractional retry_after', async () => {
    const hook = await receiver((_request, res, count) =>
      count === 1 ? sendJsonResponse(res, 429, { message: 'You are being rate limited.', retry_after: 0.25, global: false }) : res.writeHead(204).end(),
    );
    const error = await send({ kind: 'discord', url: `${hook.url}/api/webhooks/1/tok` }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 250, message: 'the receiver answered HTTP 429: You are being rate limited.' });
    await send({ kind: 'discord', url: `${hook.url}/api/webhooks/1/tok` });
    const body = json(hook.requests[1]);
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect((body.embeds as Array<Record<string, unknown>>)[0]).toMatchObject({ color: 0xe01e5a, timestamp: '2026-12-06T10:00:01.000Z' });
  });

  it('ntfy: JSON publish to the server root with the topic, priority and bearer token', async () => {
    process.env.VIGIL_TEST_SECRET = 'tk_secret';
    const ntfy = await receiver((_request, res) => sendJsonResponse(res, 200, { id: 'x', event: 'message' }));
    await send({ kind: 'ntfy', url: ntfy.url, topic: 'ops-alerts', token: { env: 'VIGIL_TEST_SECRET' } });
    expect(ntfy.requests[0].headers.authorization).toBe('Bearer tk_secret');
    expect(json(ntfy.requests[0])).toMatchObject({ topic: 'ops-alerts', priority: 5, title: expect.stringContaining('FIRING') });
  });

  it('Teams: one Adaptive Card attachment; a 4xx is final', async () => {
    const teams = await receiver((_request, res, count) =>
      count === 1 ? res.writeHead(202).end() : sendJsonResponse(res, 400, { error: { message: 'bad card' } }),
    );
    await send({ kind: 'teams', url: `${teams.url}/workflows/abc` });
    const body = json(teams.requests[0]) as { type: string; attachments: Array<{ contentType: string; content: { type: string; version: string } }> };
    expect(body.type).toBe('message');
    expect(body.attachments[0]).toMatchObject({ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', version: '1.4' } });
    await expect(send({ kind: 'teams', url: `${teams.url}/workflows/abc` })).rejects.toMatchObject({ retryable: false });
  });

  it('Pushover: a form to /1/messages.json with token and user keys', async () => {
    process.env.VIGIL_TEST_SECRET = 'pushkey';
    const push = await receiver((_request, res) => sendJsonResponse(res, 200, { status: 1, request: 'r' }));
    await send({ kind: 'pushover', apiUrl: push.url, token: { env: 'VIGIL_TEST_SECRET' }, user: { env: 'VIGIL_TEST_SECRET' } });
    expect(push.requests[0].path).toBe('/1/messages.json');
    expect(push.requests[0].headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(push.requests[0].body);
    expect([form.get('token'), form.get('user'), form.get('priority')]).toEqual(['pushkey', 'pushkey', '1']);
  });

  it('PagerDuty Events v2: trigger, acknowledge and resolve share the dedup_key', async () => {
    process.env.VIGIL_TEST_SECRET = 'R0UTINGKEY';
    const pd = await receiver((_request, res) => sendJsonResponse(res, 202, { status: 'success', message: 'Event processed', dedup_key: 'vigil-alert-a-1' }));
    const channel = { kind: 'pagerduty', apiUrl: pd.url, routingKey: { env: 'VIGIL_TEST_SECRET' } };
    await send(channel);
    await send(channel, { status: 'acknowledged', acknowledgedBy: 'alice' });
    await send(channel, { status: 'resolved' });
    expect(pd.requests.map((request) => request.path)).toEqual(['/v2/enqueue', '/v2/enqueue', '/v2/enqueue']);
    const [trigger, ack, resolve] = pd.requests.map(json);
    expect(trigger).toMatchObject({
      routing_key: 'R0UTINGKEY',
      event_action: 'trigger',
      dedup_key: 'vigil-alert-a-1',
      payload: { severity: 'critical', source: 'web-1' },
    });
    expect(ack).toEqual({ routing_key: 'R0UTINGKEY', event_action: 'acknowledge', dedup_key: 'vigil-alert-a-1' });
    expect(resolve).toMatchObject({ event_action: 'resolve', dedup_key: 'vigil-alert-a-1' });
  });

  it('Opsgenie: create with a GenieKey and alias, then acknowledge and close by alias', async () => {
    process.env.VIGIL_TEST_SECRET = 'genie-key';
    const og = await receiver((_request, res) => sendJsonResponse(res, 202, { result: 'Request will be processed', took: 0.1, requestId: 'r' }));
    const channel = { kind: 'opsgenie', apiUrl: og.url, apiKey: { env: 'VIGIL_TEST_SECRET' } };
    await send(channel);
    await send(channel, { status: 'acknowledged', acknowledgedBy: 'alice' });
    await send(channel, { status: 'resolved' });
    expect(og.requests[0].headers.authorization).toBe('GenieKey genie-key');
    expect(og.requests.map((request) => request.path)).toEqual([
      '/v2/alerts',
      '/v2/alerts/vigil-alert-a-1/acknowledge?identifierType=alias',
      '/v2/alerts/vigil-alert-a-1/close?identifierType=alias',
    ]);
    expect(json(og.requests[0])).toMatchObject({ alias: 'vigil-alert-a-1', priority: 'P1', source: 'Vigil' });
  });

  it('generic webhook: the operator template, JSON-escaped, and a template that is not JSON is refused at load', async () => {
    const hook = await receiver((_request, res) => sendJsonResponse(res, 200, {}));
    await send({ kind: 'webhook', url: hook.url, bodyTemplate: '{"text": "{{title}}", "n": {{count}}, "rule": "{{rule}}"}' }, { rule: 'a "quoted" rule' });
    expect(json(hook.requests[0])).toEqual({ text: expect.stringContaining('FIRING'), n: 2, rule: 'a "quoted" rule' });
    expect(() => notificationChannelSchema.parse({ name: 'w', kind: 'webhook', url: hook.url, bodyTemplate: '{"x": {{nope}}}' })).toThrow(
      /unknown placeholder/,
    );
    expect(() => notificationChannelSchema.parse({ name: 'w', kind: 'webhook', url: hook.url, bodyTemplate: '{"x": {{summary}}}' })).toThrow(/not JSON/);
  });

  it('Slack and Alertmanager take alert messages too', async () => {
    const slack = await receiver((_request, res) => res.writeHead(200).end('ok'));
    await send({ kind: 'slack', url: `${slack.url}/services/T/B/X` });
    expect(String(json(slack.requests[0]).text)).toContain('lockdown engaged');
    const am = await receiver((_request, res) => sendJsonResponse(res, 200, {}));
    await send({ kind: 'alertmanager', urls: [am.url] }, { status: 'resolved' });
    const [alert] = JSON.parse(am.requests[0].body) as Array<{ labels: Record<string, string>; endsAt: string }>;
    expect(am.requests[0].path).toBe('/api/v2/alerts');
    expect(alert.labels).toMatchObject({ alertname: 'VigilAlert', rule: 'lockdown engaged', vigil_alert: 'a-1' });
    expect(Date.parse(alert.endsAt)).toBeLessThanOrEqual(Date.now());
  });
});
