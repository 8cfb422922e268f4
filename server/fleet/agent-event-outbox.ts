import type { StoredAuditEvent } from '@/lib/audit/hash-chain';
import type { JsonObject } from '@/lib/canonical-json';
import {
  FLEET_EVENTS_MESSAGE,
  fleetEventAckSchema,
  MAX_FLEET_EVENT_BATCH,
  MAX_FLEET_EVENT_BATCH_BYTES,
  type FleetEvent,
  type FleetEventAck,
} from '@/lib/fleet/fleet-events-api';
import { storedEventPages } from '../audit/stored-events';
import type { Database } from '../db/client';
import type { Logger } from '../log';

/** An acknowledgement slower than this means the link is gone; the batch goes again after the reconnect. */
const ACK_TIMEOUT_MS = 30_000;
const MAX_SEQ = 2_147_483_647;

/** The part of a socket.io client socket the outbox uses. */
export interface EventLink {
  /** socket.io queues what is emitted while disconnected and sends it on reconnecting, before the hello: never wanted here. */
  readonly connected: boolean;
  timeout(ms: number): { emit(event: string, payload: unknown, ack: (error: Error | null, answer: unknown) => void): void };
}

/** The events after `afterSeq`, in chain order, one page (at most `limit`) at a time. */
export type ChainPages = (afterSeq: number, limit: number) => AsyncIterable<StoredAuditEvent[]>;

/** The agent's own chain in its database (read with the driver on SQLite): the durable queue, in the agent's data directory. */
export const chainPagesOf =
  (database: Database): ChainPages =>
  (afterSeq, limit) =>
    storedEventPages(database, afterSeq, MAX_SEQ, limit);

export interface AgentEventOutboxDeps {
  chain: ChainPages;
  log: Logger;
  /** The console holds our events up to this sequence number now (it acknowledged them as committed). */
  onAcked?: (ackedSeq: number) => void;
}

/**
 * True when the console's copy ends with an event our chain does not hold at that place: our
 * database was wiped or replaced, and our numbering restarted below the console's cursor. An
 * event pruned by retention here is no sign of that: only a chain shorter than the cursor, or
 * another event at its place, is.
 */
async function chainReplaced(chain: ChainPages, eventSeq: number, lastEventId: string | null): Promise<boolean> {
  if (eventSeq === 0 || !lastEventId) return false;
  for await (const page of chain(eventSeq - 1, 1)) {
    if (page.length > 0) return page[0].seq === eventSeq && page[0].eventId !== lastEventId;
  }
  // Nothing at or after the console's cursor: our chain is shorter than what it holds.
  return true;
}

function toFleetEvent(event: StoredAuditEvent): FleetEvent {
  const { seq, eventId, at, type, severity, actor, action, module, resource, reason, method, source, details } = event;
  return { hostSeq: seq, eventId, at, type, severity, actor, action, module, resource, reason, method, source, details: JSON.parse(details) as JsonObject };
}

/**
 * Delivers the agent's audit chain to the console, in chain order, one batch at a time: the
 * next batch leaves only once the console acknowledged the last as committed. Nothing is kept
 * in memory between batches: the agent's own chain (committed before any event is reported,
 * and kept across a kill -9 of either side) is the queue, and the console's cursor, sent in
 * every welcome, is where it resumes. The console skips what it holds already, so a batch
 * whose acknowledgement was lost is delivered once all the same.
 */
export class AgentEventOutbox {
  private link: EventLink | null = null;
  /** The last of our sequence numbers the console holds, as far as we know. */
  private ackedSeq = 0;
  private pumping = false;
  private again = false;
  private retryTimer: NodeJS.Timeout | null = null;
  /** Our chain is not the one the console holds: the next batch says so, and numbering starts again. */
  private resetting = false;
  /** Comparing our chain with the console's after a welcome: nothing is sent until that is settled. */
  private comparing = false;
  /** Events delivered since start, for the log and the tests. */
  delivered = 0;

  constructor(private readonly deps: AgentEventOutboxDeps) {}

  /** The last of our events the console holds, as far as we know (0 before its first welcome). */
  deliveredThrough(): number {
    return this.ackedSeq;
  }

  /** The console welcomed us, holding our events up to `eventSeq`, the last of them `lastEventId`. */
  connected(link: EventLink, eventSeq: number, lastEventId: string | null = null): void {
    this.link = link;
    this.ackedSeq = eventSeq;
    this.comparing = true;
    void chainReplaced(this.deps.chain, eventSeq, lastEventId)
      .catch((error: unknown) => {
        this.deps.log.warn({ err: (error as Error).message }, 'could not compare our chain with the console; assuming it is the same');
        return false;
      })
      .then((replaced) => {
        this.comparing = false;
        if (this.link !== link) return;
        if (replaced) {
          this.deps.log.warn({ consoleHolds: eventSeq }, 'our audit chain is not the one the console holds (the database was replaced); sending it all again');
          this.resetting = true;
          this.ackedSeq = 0;
        }
        this.wake();
      });
  }

  disconnected(): void {
    this.link = null;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  /** Our chain grew (or the console asked to come back): send what it has not got. */
  wake(): void {
    if (this.pumping) {
      this.again = true;
      return;
    }
    if (!this.link || this.retryTimer || this.comparing) return;
    this.pumping = true;
    void this.pump().finally(() => {
      this.pumping = false;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async pump(): Promise<void> {
    for (;;) {
      this.again = false;
      const link = this.link;
      if (!link) return;
      const events = await this.nextBatch();
      if (events.length === 0) return;
      const answer = await this.send(link, { afterSeq: this.ackedSeq, events, ...(this.resetting && { reset: true as const }) });
      if (this.link !== link) return;
      if (answer.ok) {
        this.resetting = false;
        const before = this.ackedSeq;
        this.delivered += events.filter((e) => e.hostSeq > before && e.hostSeq <= answer.ackedSeq).length;
        this.ackedSeq = answer.ackedSeq;
        this.deps.onAcked?.(answer.ackedSeq);
        continue;
      }
      if (answer.error === 'resend' && answer.ackedSeq !== undefined) {
        this.ackedSeq = answer.ackedSeq;
        continue;
      }
      if (answer.error === 'invalid') this.deps.log.error({ message: answer.message }, 'the console refused our events as malformed; trying again later');
      if (answer.error === 'revoked') return void this.deps.log.error('the console refused our events: this host was revoked');
      this.retryLater(answer.retryInMs ?? (answer.error === 'invalid' ? 30_000 : 1000));
      return;
    }
  }

  private retryLater(ms: number): void {
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.wake();
    }, ms);
    this.retryTimer.unref();
  }

  /** The events after ackedSeq, up to the batch limits. */
  private async nextBatch(): Promise<FleetEvent[]> {
    const batch: FleetEvent[] = [];
    let bytes = 0;
    try {
      for await (const page of this.deps.chain(this.ackedSeq, MAX_FLEET_EVENT_BATCH)) {
        for (const stored of page) {
          const event = toFleetEvent(stored);
          const size = JSON.stringify(event).length;
          if (batch.length > 0 && bytes + size > MAX_FLEET_EVENT_BATCH_BYTES) return batch;
          batch.push(event);
          bytes += size;
        }
        return batch;
      }
    } catch (error) {
      this.deps.log.warn({ err: (error as Error).message }, 'could not read our audit chain to report it; trying again');
      this.retryLater(2000);
      return [];
    }
    return batch;
  }

  private send(link: EventLink, batch: { afterSeq: number; events: FleetEvent[]; reset?: true }): Promise<FleetEventAck> {
    if (!link.connected) return Promise.resolve({ ok: false, error: 'unavailable', retryInMs: 1000 });
    return new Promise((resolve) => {
      link.timeout(ACK_TIMEOUT_MS).emit(FLEET_EVENTS_MESSAGE, batch, (error, raw) => {
        if (error) return resolve({ ok: false, error: 'unavailable', retryInMs: 1000 });
        const answer = fleetEventAckSchema.safeParse(raw);
        resolve(answer.success ? answer.data : { ok: false, error: 'invalid', message: 'the console answered something unreadable' });
      });
    });
  }
}
