import { fleetEventBatchSchema, type FleetEvent, type FleetEventAck } from '@/lib/fleet/fleet-events-api';
import type { ChainedAuditEvent } from '@/lib/audit/types';
import { describeIssues } from '@/lib/http-error';
import { pendingEventOf } from '../audit/pending-event';
import type { Database } from '../db/client';
import { dbErrorMessage } from '../db/db-error';
import type { Logger } from '../log';
import { commitHostEvents, type HostEvent, type HostEvents } from '../queries/fleet-events';

/**
 * Batches one agent may have waiting here at once. An agent waits for each acknowledgement
 * before it sends on; one that does not (a flood) is told `busy` for every batch beyond this,
 * without its batch being parsed or kept, so what it can make the console hold is bounded by
 * this many messages of socket.io's message limit.
 */
export const EVENT_WINDOW_PER_HOST = 4;
/** Events one transaction takes at most: several agents' batches commit together, up to this. */
const MAX_EVENTS_PER_COMMIT = 5000;
/** After the database failed, agents are asked to come back after this long. */
const RETRY_AFTER_OUTAGE_MS = 2000;

function toHostEvent({ hostSeq, eventId, at, ...event }: FleetEvent): HostEvent {
  return { ...pendingEventOf(event, eventId, new Date(at).toISOString()), hostSeq };
}

interface Waiting {
  group: HostEvents;
  ack: (answer: FleetEventAck) => void;
}

export interface FleetEventIngestDeps {
  database: Database;
  log: Logger;
  /** Committed events go where the writer's own commits go: the live feed, the checkpointer, alerting. */
  announce: (events: ChainedAuditEvent[]) => void;
  /** A batch found its host revoked: the hub cuts the socket and records the refusal (once). */
  onRefused: (hostId: number) => void;
  /** An agent's replaced chain was taken with its new numbering, from `afterSeq` where the console held up to `heldSeq`. */
  onReset: (reset: { hostId: number; heldSeq: number; afterSeq: number }) => void;
}

/**
 * The console's side of agents' events: each batch is acknowledged only once it is committed
 * (so an agent's next batch waits on the database, not on console memory), batches of several
 * agents share a transaction, and one agent's batches commit in the order they came.
 */
export class FleetEventIngest {
  private readonly inFlight = new Map<number, number>();
  private queue: Waiting[] = [];
  private flushing: Promise<void> | null = null;
  /** The most batches any host had waiting at once: what the flood test reads. */
  peakWaitingBatches = 0;

  constructor(private readonly deps: FleetEventIngestDeps) {}

  /** One `fleet:events` message from an admitted agent; `ack` is socket.io's acknowledgement callback. */
  receive(hostId: number, raw: unknown, ack: unknown): void {
    if (typeof ack !== 'function') return void this.deps.log.warn({ hostId }, 'ignored fleet events sent without an acknowledgement callback');
    const answer = ack as (answer: FleetEventAck) => void;
    const waiting = this.inFlight.get(hostId) ?? 0;
    if (waiting >= EVENT_WINDOW_PER_HOST) return answer({ ok: false, error: 'busy', retryInMs: 200 });
    const parsed = fleetEventBatchSchema.safeParse(raw);
    if (!parsed.success) {
      this.deps.log.warn({ hostId }, 'refused a malformed batch of fleet events');
      return answer({ ok: false, error: 'invalid', message: describeIssues(parsed.error.issues).slice(0, 1000) });
    }
    this.inFlight.set(hostId, waiting + 1);
    this.peakWaitingBatches = Math.max(this.peakWaitingBatches, waiting + 1);
    const { afterSeq, events, reset } = parsed.data;
    this.queue.push({ group: { hostId, afterSeq, events: events.map(toHostEvent), reset }, ack: answer });
    this.flushing ??= this.flush();
  }

  /** Resolves once everything received so far is committed or answered. */
  async drained(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flush(): Promise<void> {
    try {
      while (this.queue.length > 0) await this.commitSome(this.takeBatch());
    } finally {
      this.flushing = null;
    }
  }

  private takeBatch(): Waiting[] {
    let events = 0;
    let count = 0;
    while (count < this.queue.length && (count === 0 || events + this.queue[count].group.events.length <= MAX_EVENTS_PER_COMMIT)) {
      events += this.queue[count].group.events.length;
      count++;
    }
    return this.queue.splice(0, count);
  }

  private async commitSome(batch: Waiting[]): Promise<void> {
    try {
      const { outcomes, chained } = await commitHostEvents(
        this.deps.database,
        batch.map((w) => w.group),
      );
      this.announce(chained);
      outcomes.forEach((outcome, i) => {
        if (outcome.status === 'committed') {
          if (outcome.resetFrom !== undefined) this.deps.onReset({ hostId: outcome.hostId, heldSeq: outcome.resetFrom, afterSeq: batch[i].group.afterSeq });
          return this.answer(batch[i], { ok: true, ackedSeq: outcome.ackedSeq });
        }
        if (outcome.status === 'behind') return this.answer(batch[i], { ok: false, error: 'resend', ackedSeq: outcome.ackedSeq });
        this.answer(batch[i], { ok: false, error: 'revoked' });
        this.deps.onRefused(outcome.hostId);
      });
    } catch (error) {
      // Nothing was taken: the agents keep their events and send them again.
      this.deps.log.warn({ err: dbErrorMessage(error), batches: batch.length }, 'fleet events could not be committed; the agents will resend');
      for (const waiting of batch) this.answer(waiting, { ok: false, error: 'unavailable', retryInMs: RETRY_AFTER_OUTAGE_MS });
    }
  }

  private answer(waiting: Waiting, answer: FleetEventAck): void {
    const { hostId } = waiting.group;
    const left = (this.inFlight.get(hostId) ?? 1) - 1;
    if (left > 0) this.inFlight.set(hostId, left);
    else this.inFlight.delete(hostId);
    waiting.ack(answer);
  }

  private announce(events: ChainedAuditEvent[]): void {
    if (events.length === 0) return;
    try {
      this.deps.announce(events);
    } catch (error) {
      this.deps.log.error({ err: error }, 'a listener of committed fleet events failed');
    }
  }
}
