import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../test-support';
import { startStubHttpServer, type StubHttpServer } from '../test-support/stub-http-server';
import { notification, notifierHarness, type NotifierHarness } from './notify-test-kit';

let server: StubHttpServer | null = null;
let harness: NotifierHarness | null = null;

afterEach(async () => {
  await harness?.close();
  await server?.close();
  harness = null;
  server = null;
});

/** A receiver that holds every response until the test lets it go. */
async function heldReceiver(): Promise<{ server: StubHttpServer; release(): void }> {
  const held: ServerResponse[] = [];
  let open = false;
  const stub = await startStubHttpServer((_request, res) => (open ? res.end('ok') : held.push(res)));
  return {
    server: stub,
    release() {
      open = true;
      for (const res of held.splice(0)) res.end('ok');
    },
  };
}

const titles = (count: number) => Array.from({ length: count }, (_, i) => `incident ${i + 1}`);

describe('per-channel queue', () => {
  it('keeps at most queueSize waiting, drops the oldest with an audit event, and delivers the rest in order', async () => {
    const held = await heldReceiver();
    server = held.server;
    harness = await notifierHarness([{ name: 'stuck', kind: 'webhook', url: server.url, queueSize: 2, timeoutSeconds: 30 }]);
    for (const title of titles(5)) harness.notifier.notify(notification('alert', { title, id: title.replace(' ', '-') }));
    // #1 is in flight; #2 and #3 were pushed out by #4 and #5.
    await waitFor(() => server!.requests.length === 1, { what: 'the first delivery' });
    expect(harness.notifier.channels()[0].queued).toBe(2);
    held.release();
    const events = await harness.events();

    expect(server.requests.map((request) => JSON.parse(request.body).incident.title)).toEqual(['incident 1', 'incident 4', 'incident 5']);
    const dropped = events.filter((event) => event.type === 'notification.dropped');
    expect(dropped.map((event) => [event.severity, event.resource])).toEqual([
      ['warning', 'incident/incident-2'],
      ['warning', 'incident/incident-3'],
    ]);
    expect(dropped[0].reason).toBe('the queue for stuck is full: the oldest waiting notification was dropped');
    expect(events.filter((event) => event.type === 'notification.sent')).toHaveLength(3);
  });

  it('close() cancels what is in flight and audits what was still waiting', async () => {
    const held = await heldReceiver();
    server = held.server;
    harness = await notifierHarness([{ name: 'stuck', kind: 'webhook', url: server.url, timeoutSeconds: 30, retries: 5 }]);
    for (const title of titles(3)) harness.notifier.notify(notification('alert', { title }));
    await waitFor(() => server!.requests.length === 1, { what: 'the first delivery' });
    // Had close() waited for the 30-second timeout instead, the audit below would say so, not "cancelled".
    await harness.notifier.close();
    harness.notifier.notify(notification('alert'));
    const events = await harness.events();
    expect(events.map((event) => [event.type, event.reason])).toEqual([
      ['notification.dropped', 'the worker is shutting down'],
      ['notification.dropped', 'the worker is shutting down'],
      ['notification.failed', 'cancelled: the notifier is closing'],
    ]);
    expect(server.requests).toHaveLength(1);
  });

  it('follows a config reload: a removed channel gets nothing more, a new one starts at once', async () => {
    const held = await heldReceiver();
    server = held.server;
    held.release();
    harness = await notifierHarness([{ name: 'a', kind: 'webhook', url: `${server.url}/a` }]);
    harness.notifier.notify(notification('alert'));
    await harness.notifier.idle();
    harness.setChannels([{ name: 'b', kind: 'webhook', url: `${server.url}/b` }]);
    harness.notifier.notify(notification('reminder'));
    await harness.events();
    expect(server.requests.map((request) => request.path)).toEqual(['/a', '/b']);
    expect(harness.notifier.channels().map((channel) => channel.name)).toEqual(['b']);
  });
});
