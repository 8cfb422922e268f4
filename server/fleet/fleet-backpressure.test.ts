import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FLEET_EVENT_BATCH, type FleetEventAck } from '@/lib/fleet/fleet-events-api';
import pg from 'pg';
import { readWholeChain, startTestWorker, waitFor, type TestWorker } from '../test-support';
import { createEnrollment } from '../test-support/fleet';
import { makeFleetEvents, ProtocolAgent } from '../test-support/fleet-protocol-agent';
import { EVENT_WINDOW_PER_HOST } from './fleet-event-ingest';

describe('an agent flooding the console with events', () => {
  let worker: TestWorker;
  let flooder: ProtocolAgent;

  beforeAll(async () => {
    // PostgreSQL: a lock taken by another session holds the console's commits back without blocking its event loop.
    worker = await startTestWorker({ provider: 'postgresql' });
    const token = await createEnrollment(worker.port, { labels: {}, uses: 1, expiresInMinutes: 10 });
    flooder = await ProtocolAgent.enroll(worker.port, token, 'flooder');
  }, 60_000);

  afterAll(async () => {
    flooder?.close();
    await worker.destroy();
  });

  it('is told to wait beyond its window, never held in memory beyond it, and loses nothing it was acknowledged', { timeout: 120_000 }, async () => {
    // The database stops taking agents' events for a while (a lock held by another session) …
    const blocker = new pg.Client({ connectionString: worker.db.url });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE "Host" IN EXCLUSIVE MODE');
    // … while the agent sends 40 full batches (20k events) at once, without waiting for a single acknowledgement.
    const batches = Array.from({ length: 40 }, (_, i) => makeFleetEvents(1 + i * MAX_FLEET_EVENT_BATCH, MAX_FLEET_EVENT_BATCH));
    const answers: FleetEventAck[] = [];
    const sent = Promise.all(batches.map((events, i) => flooder.send(i * MAX_FLEET_EVENT_BATCH, events).then((answer) => answers.push(answer))));
    const ingest = worker.worker.fleet.hub.events;
    // Everything beyond the window is turned away at once; the window itself waits, unacknowledged, on the database.
    await waitFor(() => answers.length >= batches.length - EVENT_WINDOW_PER_HOST || undefined, {
      timeoutMs: 30_000,
      what: 'the batches beyond the window to be answered',
    });
    expect(answers.every((a) => !a.ok && a.error === 'busy')).toBe(true);
    expect(ingest.peakWaitingBatches).toBe(EVENT_WINDOW_PER_HOST);
    await blocker.query('COMMIT');
    await blocker.end();
    await sent;
    expect(answers.filter((a) => a.ok).length).toBeGreaterThan(0);
    expect(answers.every((a) => a.ok || a.error === 'busy' || a.error === 'resend')).toBe(true);

    // Now as an agent should: one batch at a time from where the console stands; the chain ends up with each event once, in order.
    let acked = Math.max(0, ...answers.map((a) => (a.ok ? a.ackedSeq : 0)));
    const all = batches.flat();
    while (acked < all.length) {
      const answer = await flooder.send(acked, all.slice(acked, acked + MAX_FLEET_EVENT_BATCH));
      if (!answer.ok) throw new Error(`refused: ${answer.error}`);
      acked = answer.ackedSeq;
    }
    await ingest.drained();
    const fromFlooder = (await readWholeChain(worker.worker.database)).filter((e) => e.hostId === flooder.hostId);
    expect(fromFlooder.map((e) => e.eventId)).toEqual(all.map((e) => e.eventId));
    expect(ingest.peakWaitingBatches).toBeLessThanOrEqual(EVENT_WINDOW_PER_HOST);
  });

  it('refuses a malformed or out-of-order batch as invalid', { timeout: 30_000 }, async () => {
    const bad = await flooder.send(0, [{ ...makeFleetEvents(1, 1)[0], severity: 'loud' as 'info' }]);
    expect(bad).toMatchObject({ ok: false, error: 'invalid' });
    const backwards = await flooder.send(0, [...makeFleetEvents(5, 1), ...makeFleetEvents(4, 1)]);
    expect(backwards).toMatchObject({ ok: false, error: 'invalid' });
    expect(String((backwards as { message?: string }).message)).toContain('hostSeq');
  });
});
