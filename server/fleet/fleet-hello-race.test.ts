import type { KeyObject } from 'node:crypto';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FLEET_EVENTS, FLEET_NAMESPACE, type FleetChallenge } from '@/lib/fleet/fleet-api';
import { readRecentAuditEvents } from '../queries/audit-recent';
import { createAuditedDatabase, waitFor, type AuditedDatabase } from '../test-support';
import { startInProcessHub, type InProcessHub } from '../test-support/in-process-hub';
import { signHello } from './fleet-signing';

const PORT = 47932;

/** One connection of an agent that answers the challenge and counts its welcomes and how it was let go. */
function connection(hostId: number, key: KeyObject) {
  const socket: Socket = io(`http://127.0.0.1:${PORT}${FLEET_NAMESPACE}`, { transports: ['websocket'], reconnection: false, forceNew: true });
  const seen = { welcomes: 0, disconnect: null as string | null };
  socket.on(FLEET_EVENTS.challenge, ({ nonce }: FleetChallenge) => socket.emit(FLEET_EVENTS.hello, { hostId, signature: signHello(key, nonce, hostId) }));
  socket.on(FLEET_EVENTS.welcome, () => seen.welcomes++);
  socket.on('disconnect', (reason) => (seen.disconnect = reason));
  return { socket, seen };
}

/**
 * An agent that reconnects while the console is still checking its previous connection's hello: the
 * console reads the host's row in between, so either hello may finish last. The console admits a
 * hello only over a connection still open, and never lets an older connection take the host from
 * a newer one, which would cut the agent's live connection and make it say hello all over again.
 * The host's row is held under a table lock, so both hellos are checked at once whatever the load.
 */
describe('two hellos of one agent crossing', () => {
  let audited: AuditedDatabase;
  let fleet: InProcessHub;
  let lock: pg.Client;
  let watch: pg.Client;
  const sockets: Socket[] = [];

  beforeEach(async () => {
    audited = await createAuditedDatabase('postgresql');
    fleet = await startInProcessHub({ audited, port: PORT });
    lock = new pg.Client({ connectionString: audited.db.url });
    watch = new pg.Client({ connectionString: audited.db.url });
    await Promise.all([lock.connect(), watch.connect()]);
  });

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.close();
    await Promise.all([lock.end().catch(() => undefined), watch.end().catch(() => undefined)]);
    await fleet.close();
    await audited.destroy();
  });

  /** Holds every read of the hosts' table until `release`. */
  async function holdHostRows() {
    await lock.query('BEGIN');
    await lock.query('LOCK TABLE "Host" IN ACCESS EXCLUSIVE MODE');
    return { release: () => lock.query('COMMIT') };
  }

  /** Hellos waiting on the lock: each one the hub is checking. */
  async function helloChecksWaiting(count: number): Promise<void> {
    await waitFor(
      async () => {
        // From outside the lock's transaction: inside one, the activity view is read once and kept.
        const { rows } = await watch.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        return rows[0]!.n >= count ? true : undefined;
      },
      { timeoutMs: 30_000, what: `${count} hello checks waiting on the host's row` },
    );
  }

  /** How many connections of the host were recorded, and how many goodbyes. */
  async function connectionEvents(hostId: number): Promise<{ connected: number; disconnected: number }> {
    await audited.audit.flush();
    const events = await readRecentAuditEvents(audited.db.database, { types: ['fleet.agent_connected', 'fleet.agent_disconnected'], take: 20 });
    const ours = events.filter((event) => event.resource === `host:${hostId}`);
    return {
      connected: ours.filter((e) => e.type === 'fleet.agent_connected').length,
      disconnected: ours.filter((e) => e.type === 'fleet.agent_disconnected').length,
    };
  }

  const row = (hostId: number) => audited.db.database.prisma.host.findUniqueOrThrow({ where: { id: hostId } });

  /**
   * The live connection holds the host alone: welcomed once, its heartbeat written (after both
   * checks ended, so an admission of the other that went on is done by now), the row its own.
   * Then it leaves, and its leaving is written before the test ends.
   */
  async function expectHeldAloneBy(live: ReturnType<typeof connection>, hostId: number, healthScore: number): Promise<void> {
    await waitFor(() => (live.seen.welcomes > 0 ? true : undefined), { timeoutMs: 15_000, what: 'the live connection welcomed' });
    live.socket.emit(FLEET_EVENTS.heartbeat, { healthScore, degradation: 'NORMAL', defenseMode: 'NORMAL' });
    await waitFor(async () => ((await row(hostId)).healthScore === healthScore ? true : undefined), { timeoutMs: 15_000, what: 'the heartbeat written' });
    expect(live.socket.connected).toBe(true);
    expect(live.seen.welcomes).toBe(1);
    expect(fleet.hub.socketOf(hostId)?.id).toBe(live.socket.id);
    expect((await row(hostId)).connection).toBe(`console/${live.socket.id}`);
    live.socket.close();
    // Every connection recorded is recorded leaving, this one's goodbye included.
    await waitFor(
      async () => {
        const { connected, disconnected } = await connectionEvents(hostId);
        return connected === disconnected ? true : undefined;
      },
      { timeoutMs: 15_000, what: 'each recorded connection recorded leaving' },
    );
  }

  it('drops a hello whose connection closed while it was checked: no host held by a dead connection, one connection recorded', async () => {
    const { hostId, key } = await fleet.enroll('edge');
    const held = await holdHostRows();
    const first = connection(hostId, key);
    sockets.push(first.socket);
    await helloChecksWaiting(1);
    first.socket.close();
    await waitFor(() => (fleet.io.of(FLEET_NAMESPACE).sockets.size === 0 ? true : undefined), { timeoutMs: 15_000, what: 'the first connection gone' });
    const second = connection(hostId, key);
    sockets.push(second.socket);
    await helloChecksWaiting(2);
    await held.release();

    await expectHeldAloneBy(second, hostId, 77);
    expect(await connectionEvents(hostId)).toEqual({ connected: 1, disconnected: 1 });
  });

  it('keeps the newer connection when the older one says hello last, and lets the older go', async () => {
    const { hostId, key } = await fleet.enroll('edge');
    const held = await holdHostRows();
    const older = connection(hostId, key);
    sockets.push(older.socket);
    await helloChecksWaiting(1);
    const newer = connection(hostId, key);
    sockets.push(newer.socket);
    await helloChecksWaiting(2);
    await held.release();

    await waitFor(() => (older.seen.disconnect ? true : undefined), { timeoutMs: 15_000, what: 'the older connection let go' });
    expect(older.seen.disconnect).toBe('io server disconnect');
    await expectHeldAloneBy(newer, hostId, 66);
  });
});
