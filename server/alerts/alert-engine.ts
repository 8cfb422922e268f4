import { hostname } from 'node:os';
import type { AuditEventInput } from '@/lib/audit/types';
import type { NotificationChannel } from '@/lib/config/notifications-config';
import type { AuditWriter } from '../audit';
import type { Database, Db } from '../db/client';
import type { Logger } from '../log';
import { activeSilences, auditEventsAfter, hasAlertWork, newestAuditSeq, nextDueAt, readAlertCursor, writeAlertCursor } from '../queries/alerts';
import { deliverDue } from './alert-delivery';
import { flushDueAlerts } from './alert-flush';
import { foldGroups, groupEvents } from './alert-grouping';
import type { AlertRuleStore } from './rule-store';

export interface AlertEngineOptions {
  /** Idle passes read it through the driver on SQLite; Prisma loads once there is something to fold or send. */
  database: Database;
  audit: Pick<AuditWriter, 'append'>;
  log: Logger;
  rules: AlertRuleStore;
  channels: () => readonly NotificationChannel[];
  /** The console's address for an alert, when the public URL is known. */
  link?: (alertId: string) => string | null;
  localHost?: string;
  /** First retry delay of a failed delivery (doubling, with jitter) when the receiver named no wait. */
  retryBaseMs?: number;
  /** The longest the engine sleeps with nothing scheduled; events wake it sooner. */
  idleMs?: number;
  /** What time it is for group waits, intervals and retries (Date.now unless a test holds the clock). */
  now?: () => number;
}

const BATCH = 500;

/**
 * Alerting over the committed audit chain. It reads events after its cursor (never what a
 * capability merely tried to write), folds them into alert groups and moves the cursor in the
 * same transaction, writes due messages to an outbox in the transaction that marks them sent,
 * and delivers the outbox. Each pass is serialized; `wake()` asks for one soon.
 */
export class AlertEngine {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private cursorPlaced = false;
  private readonly aborter = new AbortController();

  private readonly clock: () => Date;

  constructor(private readonly options: AlertEngineOptions) {
    const now = options.now ?? Date.now;
    this.clock = () => new Date(now());
  }

  private get db(): Db {
    return this.options.database.prisma;
  }

  async start(): Promise<void> {
    // A database that cannot be read now delays alerting (each pass tries again), never the worker's start.
    await this.placeCursor().catch((error: unknown) => this.options.log.warn({ err: error }, 'alerting waits for the database'));
    this.stopped = false;
    this.wake();
  }

  private async placeCursor(): Promise<void> {
    if (this.cursorPlaced) return;
    // A first run starts from now: alerting on the whole history of an existing installation would page for the past.
    const { database } = this.options;
    if ((await readAlertCursor(database)) === null) await writeAlertCursor(database, await newestAuditSeq(database));
    this.cursorPlaced = true;
  }

  /** After a commit: fold the new events and send what is due. */
  wake = (): void => {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.pass()
      .catch((error: unknown) => this.options.log.error({ err: error }, 'alert engine pass failed'))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.wake();
        } else void this.scheduleNext();
      });
  };

  /** Resolves when no pass is running (tests and shutdown). */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.aborter.abort();
    if (this.timer) clearTimeout(this.timer);
    await this.settled();
  }

  private async pass(): Promise<void> {
    await this.placeCursor();
    await this.foldNewEvents();
    if (!(await hasAlertWork(this.options.database))) return;
    const now = this.clock();
    const link = this.options.link ?? (() => null);
    const channels = this.options.channels();
    await this.record(await flushDueAlerts({ db: this.db, rules: this.options.rules.rulesByName(), channels, now, link }));
    await this.record(await deliverDue({ db: this.db, channels, now: this.clock, signal: this.aborter.signal, retryBaseMs: this.options.retryBaseMs ?? 1000 }));
  }

  private async foldNewEvents(): Promise<void> {
    const { database } = this.options;
    const localHost = this.options.localHost ?? hostname();
    for (;;) {
      const cursor = (await readAlertCursor(database)) ?? 0;
      const events = await auditEventsAfter(database, cursor, BATCH);
      if (events.length === 0) return;
      const now = this.clock();
      const rules = this.options.rules.rules();
      const last = events[events.length - 1].seq;
      // Silences only remove groups: when no rule matches without them, none does with them, and
      // the batch moves the cursor alone (on SQLite through the driver, Prisma staying unloaded).
      if (groupEvents({ events, rules, silences: [], localHost }).length === 0) await writeAlertCursor(database, last);
      else {
        const groups = groupEvents({ events, rules, silences: await activeSilences(this.db, now), localHost });
        await this.db.$transaction(async (tx) => {
          await foldGroups(tx, groups, now);
          await writeAlertCursor(tx, last);
        });
      }
      if (events.length < BATCH) return;
    }
  }

  private async record(events: AuditEventInput[]): Promise<void> {
    for (const event of events)
      await this.options.audit.append(event).catch((error: unknown) => this.options.log.warn({ err: error, type: event.type }, 'alert event not audited'));
  }

  private async scheduleNext(): Promise<void> {
    if (this.stopped) return;
    const idleMs = this.options.idleMs ?? 15_000;
    const due = await this.nextDue().catch(() => null);
    const wait = Math.max(20, Math.min(idleMs, due ? due.getTime() - this.clock().getTime() : idleMs));
    if (this.stopped || this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(this.wake, wait);
    this.timer.unref();
  }

  private async nextDue(): Promise<Date | null> {
    return (await hasAlertWork(this.options.database)) ? nextDueAt(this.db) : null;
  }
}
