import path from 'node:path';
import { toAuditText } from '@/lib/audit/audit-payload';
import type { AuditEventInput, ChainedAuditEvent } from '@/lib/audit/types';
import type { DatabaseStatus } from '@/lib/health/types';
import type { Database } from '../db/client';
import { appendAuditBatch, auditInsertsWork, eventIdsAfter, readAuditHead, type ChainHead, type PendingAuditEvent } from '../queries/audit';
import type { Logger } from '../log';
import { AuditSpool } from './spool';
import { toPendingEvent, unchainableReason } from './pending-event';
import { dbErrorMessage, isDatabaseUnavailable } from '../db/db-error';
import { DatabaseHealth } from './database-health';
import { appendDeadLetters } from './dead-letter';
import { commitIsolatingPoison, type IsolatedCommit, type Poisoned } from './poison-isolation';

export type AppendReceipt =
  | { status: 'committed'; eventId: string; seq: number; hash: string }
  | { status: 'spooled'; eventId: string }
  /** The database refused this event for good: it is in the dead-letter file, and the chain says so. */
  | { status: 'quarantined'; eventId: string; reason: string };

interface Waiting {
  event: PendingAuditEvent;
  resolve: (receipt: AppendReceipt) => void;
  reject: (error: Error) => void;
}

export interface AuditWriterOptions {
  database: Database;
  spoolFile: string;
  /** Where events the chain can never take are kept; defaults to audit-dead-letter.ndjson beside the spool. */
  deadLetterFile?: string;
  log: Logger;
  /** Called after each commit, with the events in chain order: the place to emit live events. */
  onCommitted?: (events: ChainedAuditEvent[]) => void;
  maxBatch?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
}

/**
 * The one append path of the audit chain. Group commit: while one transaction is in
 * flight, new events queue up and go together in the next, so a burst costs a few
 * transactions rather than one per event. An append resolves once its event is
 * committed, or durably spooled when the database cannot take it.
 */
export class AuditWriter {
  private queue: Waiting[] = [];
  private flushing: Promise<void> | null = null;
  private readonly spool: AuditSpool;
  readonly deadLetterFile: string;
  private readonly dbHealth: DatabaseHealth;
  private closed = false;
  /** The last head this writer committed; a stale one only costs a retry in appendAuditBatch. */
  private head: ChainHead | undefined;
  /** Survives a failed commit, so spooled events record where the chain stood. */
  private lastKnownSeq = 0;

  constructor(private readonly options: AuditWriterOptions) {
    this.spool = new AuditSpool(options.spoolFile);
    this.deadLetterFile = options.deadLetterFile ?? path.join(path.dirname(options.spoolFile), 'audit-dead-letter.ndjson');
    this.dbHealth = new DatabaseHealth({
      log: options.log,
      spooled: () => this.spool.size,
      onRetryDue: () => this.schedule(),
      retryBaseMs: options.retryBaseMs,
      retryMaxMs: options.retryMaxMs,
    });
  }

  /** Loads what a previous run left in the spool and tries to commit it. */
  async start(): Promise<void> {
    try {
      this.head = await readAuditHead(this.options.database);
      this.lastKnownSeq = this.head.seq;
    } catch {
      // The database may be down at start: the first commit reads the head instead.
    }
    await this.spool.load();
    if (this.spool.size > 0) {
      this.options.log.warn({ pending: this.spool.size }, 'audit spool holds events from an earlier run; draining');
      await this.flush();
    }
  }

  append(input: AuditEventInput): Promise<AppendReceipt> {
    if (this.closed) return Promise.reject(new Error('audit writer is closed'));
    let event: PendingAuditEvent;
    try {
      event = toPendingEvent(input);
    } catch (error) {
      // A refusal (422) is the caller's to answer; callers chain .catch(), so it must not throw here.
      return Promise.reject(error as Error);
    }
    return new Promise<AppendReceipt>((resolve, reject) => {
      this.queue.push({ event, resolve, reject });
      this.schedule();
    });
  }

  /** Sequence number of the last event this writer committed (or found at start): the chain head as far as it knows. */
  get headSeq(): number {
    return this.lastKnownSeq;
  }

  status(): DatabaseStatus {
    return { ok: this.dbHealth.ok, pendingEvents: this.queue.length + this.spool.size, lastError: this.dbHealth.lastError };
  }

  /** Resolves when everything queued so far has been committed or spooled. */
  async flush(): Promise<void> {
    while (this.flushing || this.queue.length > 0 || (this.dbHealth.mayTry && this.spool.size > 0)) {
      if (!this.flushing) this.flushing = this.runFlush();
      await this.flushing;
      if (!this.dbHealth.mayTry) break;
    }
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    this.dbHealth.close();
  }

  /** Starts a flush unless one is running; the running one picks up whatever is queued. */
  private schedule(): void {
    if (!this.flushing) this.flushing = this.runFlush();
  }

  private async runFlush(): Promise<void> {
    // Yield once so appends made in the same tick share this transaction.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const max = this.options.maxBatch ?? 5000;
    try {
      do {
        // Older, spooled events go first, also when the database returns under steady load.
        if (this.dbHealth.mayTry && this.spool.size > 0) await this.drainSpool();
        if (this.queue.length > 0) await this.commitOrSpool(this.queue.splice(0, max));
      } while (this.queue.length > 0 || (this.dbHealth.mayTry && this.spool.size > 0));
    } finally {
      this.flushing = null;
      if (this.queue.length > 0) this.schedule();
    }
  }

  private async commitOrSpool(batch: Waiting[]): Promise<void> {
    let waiting = batch;
    if (this.dbHealth.mayTry) {
      try {
        const outcome = await this.commitIsolating(batch.map((w) => w.event));
        const byId = new Map(batch.map((w) => [w.event.eventId, w]));
        for (const event of outcome.committed)
          byId.get(event.eventId)?.resolve({ status: 'committed', eventId: event.eventId, seq: event.seq, hash: event.hash });
        for (const { event, reason } of outcome.poisoned) byId.get(event.eventId)?.resolve({ status: 'quarantined', eventId: event.eventId, reason });
        if (!outcome.outage) return;
        const left = new Set(outcome.outage.waiting);
        waiting = batch.filter((w) => left.has(w.event));
      } catch (error) {
        // Only the dead-letter file can fail here: nothing was acknowledged, the callers must know.
        this.options.log.error({ err: error, events: batch.length }, 'audit events refused by the database could not be quarantined');
        batch.forEach((w) => w.reject(error as Error));
        return;
      }
    }
    try {
      await this.spool.append(
        waiting.map((w) => w.event),
        this.lastKnownSeq,
      );
      waiting.forEach((w) => w.resolve({ status: 'spooled', eventId: w.event.eventId }));
    } catch (error) {
      // Neither the database nor the disk took them: the caller must know.
      this.options.log.error({ err: error, events: waiting.length }, 'audit events could not be committed nor spooled');
      waiting.forEach((w) => w.reject(error as Error));
    }
  }

  private async drainSpool(): Promise<void> {
    const { events: spooled, afterSeq } = await this.spool.load();
    if (spooled.length === 0) return;
    try {
      // A crash between commit and clearing the spool would otherwise replay events.
      const committedIds = await eventIdsAfter(this.options.database.prisma, afterSeq);
      const remaining: PendingAuditEvent[] = [];
      const invalid: Poisoned[] = [];
      for (const event of spooled) {
        if (committedIds.has(event.eventId)) continue;
        // A spool written before the boundary's current rules may hold what the chain cannot take.
        const reason = unchainableReason(event);
        if (reason) invalid.push({ event, reason });
        else remaining.push(event);
      }
      await this.quarantine(invalid);
      const max = this.options.maxBatch ?? 5000;
      for (let i = 0; i < remaining.length; i += max) {
        const { outage } = await this.commitIsolating(remaining.slice(i, i + max));
        if (outage) {
          await this.spool.rewrite([...outage.waiting, ...remaining.slice(i + max)], afterSeq);
          return;
        }
      }
      await this.spool.clear();
      this.dbHealth.markHealthy();
      this.options.log.info({ events: remaining.length, quarantined: invalid.length }, 'audit spool drained into the database');
    } catch (error) {
      this.dbHealth.markFailed(error);
    }
  }

  /** Commits what the database takes; an outage marks the writer failed, poisoned events are quarantined. */
  private async commitIsolating(events: PendingAuditEvent[]): Promise<IsolatedCommit> {
    const outcome = await commitIsolatingPoison(events, {
      commit: (batch) => this.commit(batch),
      isOutage: (error) => this.isOutage(error),
      describe: dbErrorMessage,
    });
    this.notify(outcome.committed);
    await this.quarantine(outcome.poisoned);
    if (outcome.outage) this.dbHealth.markFailed(outcome.outage.error);
    else this.dbHealth.markHealthy();
    return outcome;
  }

  /**
   * Known outage errors say so. Anything else is the events' fault only if the database still
   * takes a harmless insert: a rule that refuses every write is an outage too, and must never
   * send the whole stream to the dead-letter file.
   */
  private async isOutage(error: unknown): Promise<boolean> {
    if (isDatabaseUnavailable(error)) return true;
    return !(await auditInsertsWork(this.options.database));
  }

  /** Dead-letter file first (fsynced), then an audit event per quarantined event, queued like any other. */
  private async quarantine(poisoned: Poisoned[]): Promise<void> {
    if (poisoned.length === 0) return;
    await appendDeadLetters(this.deadLetterFile, poisoned);
    this.options.log.error({ events: poisoned.length, file: this.deadLetterFile }, 'audit events the chain cannot take were quarantined');
    const ignore = () => undefined;
    for (const { event, reason } of poisoned) {
      const notice = toPendingEvent({
        type: 'audit.event_quarantined',
        severity: 'high',
        actor: 'system',
        action: 'quarantine an audit event',
        module: 'audit',
        method: 'audit writer',
        reason: toAuditText(reason),
        details: { eventId: toAuditText(String(event.eventId), 100), type: toAuditText(String(event.type), 100), deadLetterFile: this.deadLetterFile },
      });
      this.queue.push({ event: notice, resolve: ignore, reject: ignore });
    }
  }

  private async commit(events: PendingAuditEvent[]): Promise<ChainedAuditEvent[]> {
    try {
      const committed = await appendAuditBatch(this.options.database, events, this.head);
      const last = committed[committed.length - 1];
      if (last) {
        this.head = { seq: last.seq, hash: last.hash };
        this.lastKnownSeq = last.seq;
      }
      return committed;
    } catch (error) {
      this.head = undefined;
      throw error;
    }
  }

  private notify(events: ChainedAuditEvent[]): void {
    if (events.length === 0 || !this.options.onCommitted) return;
    try {
      this.options.onCommitted(events);
    } catch (error) {
      this.options.log.error({ err: error }, 'audit commit listener failed');
    }
  }
}
