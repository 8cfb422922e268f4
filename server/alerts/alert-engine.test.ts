import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock, waitFor, type ManualClock } from '../test-support';
import { sendJsonResponse, startStubHttpServer, type RecordedRequest, type StubHttpServer } from '../test-support/stub-http-server';
import { alertsHarness, type AlertsHarness } from './alerts-test-kit';

let servers: StubHttpServer[] = [];
let harness: AlertsHarness | null = null;

afterEach(async () => {
  await harness?.close();
  harness = null;
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

async function receiver(answer: (request: RecordedRequest, res: ServerResponse, count: number) => void = (_r, res) => sendJsonResponse(res, 200, {})) {
  let count = 0;
  const server = await startStubHttpServer((request, res) => answer(request, res, ++count));
  servers.push(server);
  return server;
}

/** The engine's clock an hour on, past any group wait, and a pass that sees it (one under way runs once more). */
async function anHourLater(clock: ManualClock): Promise<void> {
  clock.advance(3_600_000);
  harness!.engine.wake();
  await harness!.engine.settled();
}

const bodies = (server: StubHttpServer) => server.requests.map((request) => JSON.parse(request.body) as { alert: Record<string, unknown> });
const criticalThreat = { type: 'defense.threat', severity: 'critical' as const, module: 'defense', source: '203.0.113.9', action: 'ssh brute force detected' };

describe('alert engine', () => {
  it('delivers a critical threat to the one configured webhook with the shipped rules, one message for a burst', async () => {
    const hook = await receiver();
    // The engine's clock moves only when the test says: the burst is gathered however slowly this machine commits it.
    const clock = manualClock(Date.now());
    harness = await alertsHarness({ channels: [{ name: 'hook', kind: 'webhook', url: `${hook.url}/in` }], now: clock.now });
    // One burst: five threats committed together, as a scan trips the detector several times at once.
    await Promise.all(Array.from({ length: 5 }, () => harness!.audit.append({ actor: 'system', ...criticalThreat })));
    await harness.audit.flush();
    await harness.engine.settled();
    // Folded, and held for the shipped rule's group wait (half a second).
    expect((await harness.service.overview()).alerts).toEqual([expect.objectContaining({ rule: 'critical threat', count: 5 })]);
    expect(hook.requests).toHaveLength(0);
    // Sent by the engine's own schedule once the wait is over: nothing wakes it here.
    clock.advance(500);
    await waitFor(() => hook.requests.length >= 1, { timeoutMs: 5000 });
    await harness.engine.settled();
    expect(hook.requests).toHaveLength(1);
    const [{ alert }] = bodies(hook);
    expect(alert).toMatchObject({ rule: 'critical threat', status: 'firing', count: 5, newEvents: 5, severity: 'critical' });
    expect(hook.requests[0].headers['x-vigil-event']).toBe('alert.firing');
    const delivered = await waitFor(async () => (await harness!.events('alert.delivered')).at(0));
    expect(delivered.details).toMatchObject({ channel: 'hook', status: 'firing', attempts: 1 });
    expect((await harness.events('alert.notified')).length).toBe(1);
  });

  it('ignores what no rule matches: a warning threat, an unrelated event, its own bookkeeping', async () => {
    const hook = await receiver();
    const clock = manualClock(Date.now());
    harness = await alertsHarness({ channels: [{ name: 'hook', kind: 'webhook', url: hook.url }], now: clock.now });
    await harness.append({ ...criticalThreat, severity: 'warning' });
    await harness.append({ type: 'auth.login' });
    await harness.append({ type: 'alert.delivery_failed', severity: 'critical' });
    await harness.engine.settled();
    await anHourLater(clock);
    expect(hook.requests).toHaveLength(0);
    expect((await harness.service.overview()).alerts).toHaveLength(0);
  });

  it('routes by wildcard, severity, module and label to the named channel only', async () => {
    const ops = await receiver();
    const other = await receiver();
    harness = await alertsHarness({
      channels: [
        { name: 'ops', kind: 'webhook', url: ops.url },
        { name: 'other', kind: 'webhook', url: other.url },
      ],
      alerts: {
        defaults: false,
        rules: [
          {
            name: 'restores',
            events: ['snapshot.*_failed'],
            minSeverity: 'warning',
            modules: ['recov*'],
            labels: { origin: 'cli' },
            channels: ['ops'],
            groupWaitSeconds: 0,
          },
        ],
      },
    });
    await harness.append({ type: 'snapshot.restore_failed', severity: 'high', module: 'recovery', details: { origin: 'web' } });
    await harness.append({ type: 'snapshot.restore_failed', severity: 'notice', module: 'recovery', details: { origin: 'cli' } });
    await harness.append({ type: 'snapshot.restore_done', severity: 'high', module: 'recovery', details: { origin: 'cli' } });
    await harness.append({ type: 'snapshot.verify_failed', severity: 'high', module: 'recovery', details: { origin: 'cli' } });
    await waitFor(() => ops.requests.length >= 1);
    await harness.engine.settled();
    expect(other.requests).toHaveLength(0);
    expect(bodies(ops).map(({ alert }) => [alert.rule, alert.count])).toEqual([['restores', 1]]);
    expect((bodies(ops)[0].alert.labels as Record<string, string>).type).toBe('snapshot.verify_failed');
  });

  it('sends news of a firing alert after the group interval, not before, and nothing once acknowledged', async () => {
    const hook = await receiver();
    const clock = manualClock(Date.now());
    harness = await alertsHarness({
      channels: [{ name: 'hook', kind: 'webhook', url: hook.url }],
      alerts: { defaults: false, rules: [{ name: 'locks', events: ['defense.lockdown'], groupWaitSeconds: 0, groupIntervalSeconds: 1 }] },
      // Held still: "before the interval" does not end because this machine is slow to commit.
      now: clock.now,
    });
    await harness.append({ type: 'defense.lockdown', severity: 'critical' });
    await waitFor(() => hook.requests.length === 1);
    await harness.append({ type: 'defense.lockdown', severity: 'critical' });
    await harness.append({ type: 'defense.lockdown', severity: 'critical' });
    await harness.engine.settled();
    expect((await harness.service.overview()).alerts).toEqual([expect.objectContaining({ count: 3 })]);
    expect(hook.requests).toHaveLength(1);
    clock.advance(1000);
    await waitFor(() => hook.requests.length === 2, { timeoutMs: 3000 });
    expect(bodies(hook)[1].alert).toMatchObject({ status: 'firing', count: 3, newEvents: 2 });

    const [open] = (await harness.service.overview()).alerts;
    const acked = await harness.service.acknowledge({ id: open.id, actor: 'alice', comment: 'on it' });
    expect(acked).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'alice', ackComment: 'on it' });
    await harness.append({ type: 'defense.lockdown', severity: 'critical' });
    // Past another interval, and a pass that sees it (a pass under way runs once more).
    clock.advance(1000);
    harness.engine.wake();
    await harness.engine.settled();
    expect((await harness.service.overview()).alerts).toEqual([expect.objectContaining({ state: 'acknowledged', count: 4 })]);
    expect(hook.requests).toHaveLength(2);
    const [ackEvent] = await harness.events('alert.acknowledged');
    expect(ackEvent).toMatchObject({ actor: 'alice', resource: `alert:${open.id}` });
    await expect(harness.service.acknowledge({ id: 'nope', actor: 'alice', comment: '' })).rejects.toMatchObject({ code: 'alert_not_found', status: 404 });
  });

  it('holds back what a silence matches until it is expired, and audits both', async () => {
    const hook = await receiver();
    harness = await alertsHarness({ channels: [{ name: 'hook', kind: 'webhook', url: hook.url }] });
    const silence = await harness.service.createSilence({
      matchers: [{ name: 'rule', value: 'critical*' }],
      durationMinutes: 30,
      comment: 'pen test',
      actor: 'bob',
    });
    expect(silence).toMatchObject({ author: 'bob', active: true, comment: 'pen test' });
    await harness.append(criticalThreat);
    await new Promise((resolve) => setTimeout(resolve, 1300));
    await harness.engine.settled();
    expect(hook.requests).toHaveLength(0);
    await harness.service.expireSilence({ id: silence.id, actor: 'bob' });
    await harness.append(criticalThreat);
    await waitFor(() => hook.requests.length === 1);
    expect(bodies(hook)[0].alert).toMatchObject({ count: 1 });
    expect((await harness.events('alert.silence_')).map((event) => [event.type, event.actor])).toEqual([
      ['alert.silence_created', 'bob'],
      ['alert.silence_expired', 'bob'],
    ]);
  });

  it('keeps the message through a crash: the outbox row is resent once, with the same delivery id, and no event is folded twice', async () => {
    let hang = true;
    const hook = await receiver((_request, res) => {
      if (!hang) sendJsonResponse(res, 200, {});
    });
    harness = await alertsHarness({ channels: [{ name: 'hook', kind: 'webhook', url: hook.url, timeoutSeconds: 30 }] });
    await harness.append(criticalThreat);
    await waitFor(() => hook.requests.length === 1);
    // The worker dies while the receiver holds the request.
    await harness.restartEngine();
    hang = false;
    await waitFor(() => hook.requests.length === 2, { timeoutMs: 5000 });
    await harness.engine.settled();
    expect(hook.requests[1].headers['x-vigil-delivery']).toBe(hook.requests[0].headers['x-vigil-delivery']);
    const [alert] = (await harness.service.overview()).alerts;
    expect(alert.count).toBe(1);
    expect((await harness.events('alert.delivered')).length).toBe(1);
  });

  it('retries a 500 with back-off and records a receiver that keeps refusing as failed', async () => {
    const hook = await receiver((_request, res) => sendJsonResponse(res, 500, { message: 'down' }));
    harness = await alertsHarness({ channels: [{ name: 'hook', kind: 'webhook', url: hook.url, retries: 2 }] });
    await harness.append(criticalThreat);
    const failed = await waitFor(async () => (await harness!.events('alert.delivery_failed')).at(0), { timeoutMs: 5000 });
    expect(hook.requests).toHaveLength(3);
    expect(failed).toMatchObject({ reason: 'the receiver answered HTTP 500: down' });
    expect(failed.details).toMatchObject({ attempts: 3, channel: 'hook' });
  });

  it('applies a rule saved in the console at once, and removing it brings the shipped rule back', async () => {
    const hook = await receiver();
    const clock = manualClock(Date.now());
    harness = await alertsHarness({ channels: [{ name: 'hook', kind: 'webhook', url: hook.url }], now: clock.now });
    const saved = await harness.service.saveRule({
      rule: { ...harness.rules.rulesByName().get('critical threat')!, enabled: false },
      actor: 'carol',
    });
    expect(saved.origin).toBe('console');
    await harness.append(criticalThreat);
    await harness.engine.settled();
    await anHourLater(clock);
    expect(hook.requests).toHaveLength(0);
    expect(await harness.service.removeRule({ name: 'critical threat', actor: 'carol' })).toEqual({ removed: 'critical threat', revertedTo: 'shipped' });
    await harness.append(criticalThreat);
    // The shipped rule's group wait.
    clock.advance(500);
    await waitFor(() => hook.requests.length === 1);
    expect((await harness.events('alert.rule_')).map((event) => [event.type, event.actor])).toEqual([
      ['alert.rule_changed', 'carol'],
      ['alert.rule_removed', 'carol'],
    ]);
    await expect(harness.service.removeRule({ name: 'critical threat', actor: 'carol' })).rejects.toMatchObject({ code: 'rule_not_found' });
  });
});
