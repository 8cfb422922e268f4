import { randomUUID } from 'node:crypto';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, ServerToClientEvents } from '@/lib/live/events';
import { generateApiToken } from '../auth/api-tokens';
import { issueLiveToken } from '../auth/live-token';
import { endSession } from '../auth/session-store';
import { changeUser } from '../auth/user-admin';
import { createApiToken, revokeApiToken } from '../queries/api-tokens';
import { mintLiveToken, openLiveSession, PROVIDERS, startTestWorker, TEST_SECRET, waitFor, type TestWorker } from '../test-support';

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

interface Watched {
  socket: LiveSocket;
  /** Forecast updates received, each with the time it arrived. */
  received: number[];
  disconnected: Promise<string>;
}

// A live socket lives as long as the session (or API token) it was opened for, not a moment longer.
describe.each(PROVIDERS)('live sockets end with their session (%s)', (provider) => {
  let t: TestWorker;
  const sockets: LiveSocket[] = [];

  async function watch(token: string): Promise<Watched> {
    const socket: LiveSocket = connect(`http://127.0.0.1:${t.port}`, {
      auth: { token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      timeout: 5000,
    });
    sockets.push(socket);
    const received: number[] = [];
    socket.on('forecast:updated', () => received.push(Date.now()));
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return { socket, received, disconnected };
  }

  /** Whether the worker lets this token open a socket at all. */
  function outcome(token: string): Promise<string> {
    const socket: LiveSocket = connect(`http://127.0.0.1:${t.port}`, {
      auth: { token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      timeout: 5000,
    });
    sockets.push(socket);
    return new Promise((resolve) => {
      socket.once('connect', () => resolve('connected'));
      socket.once('connect_error', (error) => resolve(`error: ${error.message}`));
    });
  }

  /** Broadcasts to every dashboard and waits until a socket that should hear it did. */
  async function broadcastHeardBy(control: Watched): Promise<void> {
    const before = control.received.length;
    t.worker.live.emitForecast({ at: new Date().toISOString(), highest: 1 });
    await waitFor(() => control.received.length > before, { what: 'the control socket to hear the broadcast' });
  }

  async function expectCutOff(ended: Watched, control: Watched, endIt: () => Promise<unknown>): Promise<void> {
    await broadcastHeardBy(control);
    // Each socket has a connection of its own: the control's copy arriving says nothing of this one's.
    await waitFor(() => ended.received.length > 0, { what: 'the socket about to end to hear the broadcast too' });
    expect(ended.received).toHaveLength(1);
    await endIt();
    // The worker's once-a-second check is what cuts it off; nothing else would before the test's time runs out.
    expect(await ended.disconnected).toBe('io server disconnect');
    await broadcastHeardBy(control);
    expect(ended.received).toHaveLength(1);
  }

  beforeAll(async () => {
    t = await startTestWorker({ provider });
  });
  afterEach(() => {
    sockets.splice(0).forEach((socket) => socket.disconnect());
  });
  afterAll(async () => {
    await t?.destroy();
  });

  it('closes the socket of a user who signs out, and its token opens no new one', async () => {
    const session = await openLiveSession({ secret: TEST_SECRET, database: t.worker.database });
    const ended = await watch(session.token);
    const control = await watch(await mintLiveToken({ secret: TEST_SECRET, database: t.worker.database }));
    await expectCutOff(ended, control, () => endSession(t.worker.database.prisma, session.sessionSecret));
    // The token still has most of its minute: signing out must outweigh that.
    expect(await outcome(session.token)).toBe('error: unauthorized');
  });

  it('closes every socket of a user whose account is disabled', async () => {
    const session = await openLiveSession({ secret: TEST_SECRET, database: t.worker.database, role: 'operator' });
    const ended = await watch(session.token);
    const control = await watch(await mintLiveToken({ secret: TEST_SECRET, database: t.worker.database }));
    await expectCutOff(ended, control, () => changeUser(t.worker.database.prisma, session.userId, { disabled: true }));
  });

  it('closes the socket opened with an API token when the token is revoked', async () => {
    const generated = generateApiToken();
    const id = randomUUID();
    await createApiToken(t.worker.database.prisma, {
      id,
      name: 'wallboard',
      prefix: generated.prefix,
      tokenHash: generated.tokenHash,
      role: 'viewer',
      createdById: null,
    });
    const { token } = await issueLiveToken(TEST_SECRET, { id, name: 'wallboard', role: 'viewer', kind: 'token' });
    const ended = await watch(token);
    const control = await watch(await mintLiveToken({ secret: TEST_SECRET, database: t.worker.database }));
    await expectCutOff(ended, control, () => revokeApiToken(t.worker.database.prisma, id));
  });

  it('refuses a person token bound to no session', async () => {
    expect(await outcome(await mintLiveToken({ secret: TEST_SECRET }))).toBe('error: unauthorized');
  });
});
