import type { AlertEventSample, AlertMessage } from '@/lib/alerts/alert-message';
import type { AlertView, SilenceView } from '@/lib/alerts/alert-views';
import type { SilenceMatcher } from '@/lib/alerts/alert-rules';
import type { ChainedAuditEvent } from '@/lib/audit/types';
import { AUDIT_SELECT_COLUMNS, rowToEvent, type RawAuditRow } from '../audit/stored-event-row';
import type { Db, DbTx, Queryable } from '../db/client';
import { prismaOf, sqliteOf, type Store } from '../db/store';
import { fromRow, readAuditHead } from './audit';
import { readSetting, writeSetting } from './settings';

type AlertRow = Awaited<ReturnType<Db['alert']['findFirstOrThrow']>>;
type SilenceRow = Awaited<ReturnType<Db['alertSilence']['findFirstOrThrow']>>;
export type DeliveryRow = Awaited<ReturnType<Db['alertDelivery']['findFirstOrThrow']>>;
export type { AlertRow };

// The reads below run at start and on every idle pass of the alert engine: given the database
// on SQLite they go through the driver's connection, so an idle worker never loads Prisma.

const CURSOR_KEY = 'alerts.cursor';

/** The last audit seq the alert engine has folded into alerts; null before its first run. */
export async function readAlertCursor(store: Store): Promise<number | null> {
  const value = await readSetting<number | string>(store, CURSOR_KEY);
  return value === null ? null : Number(value);
}

export const writeAlertCursor = (store: Store, seq: number): Promise<void> => writeSetting(store, CURSOR_KEY, seq);

export const newestAuditSeq = async (store: Store): Promise<number> => (await readAuditHead(store)).seq;

export async function auditEventsAfter(store: Store, seq: number, take: number): Promise<ChainedAuditEvent[]> {
  const sqlite = sqliteOf(store);
  if (sqlite)
    return (sqlite.prepare(`SELECT ${AUDIT_SELECT_COLUMNS} FROM "AuditEvent" WHERE "seq" > ? ORDER BY "seq" LIMIT ?`).all(seq, take) as RawAuditRow[]).map(
      rowToEvent,
    );
  return (await prismaOf(store).auditEvent.findMany({ where: { seq: { gt: seq } }, orderBy: { seq: 'asc' }, take })).map(fromRow);
}

/**
 * Whether the engine has anything to flush, resolve or deliver: an alert not yet resolved or a
 * delivery still pending. With neither, a pass has nothing to read from those tables.
 */
export async function hasAlertWork(store: Store): Promise<boolean> {
  const sqlite = sqliteOf(store);
  if (sqlite)
    return (
      (
        sqlite
          .prepare(
            `SELECT EXISTS (SELECT 1 FROM "Alert" WHERE "state" <> 'resolved') OR EXISTS (SELECT 1 FROM "AlertDelivery" WHERE "state" = 'pending') AS "work"`,
          )
          .get() as { work: number }
      ).work === 1
    );
  const db = prismaOf(store);
  const [alert, delivery] = await Promise.all([
    db.alert.findFirst({ where: { state: { not: 'resolved' } }, select: { id: true } }),
    db.alertDelivery.findFirst({ where: { state: 'pending' }, select: { id: true } }),
  ]);
  return alert !== null || delivery !== null;
}

/** The console's alert rules, by name. */
export async function listStoredAlertRules(store: Store): Promise<{ name: string; definition: string }[]> {
  const sqlite = sqliteOf(store);
  if (sqlite) return sqlite.prepare('SELECT "name", "definition" FROM "AlertRule" ORDER BY "name"').all() as { name: string; definition: string }[];
  return prismaOf(store).alertRule.findMany({ select: { name: true, definition: true }, orderBy: { name: 'asc' } });
}

export const openAlertByGroup = (tx: DbTx, groupKey: string) => tx.alert.findFirst({ where: { groupKey, state: { not: 'resolved' } } });

export function alertView(row: AlertRow): AlertView {
  return {
    id: row.id,
    rule: row.rule,
    severity: row.severity as AlertView['severity'],
    state: row.state as AlertView['state'],
    labels: JSON.parse(row.labels) as Record<string, string>,
    count: row.count,
    firstAt: row.firstAt.toISOString(),
    lastAt: row.lastAt.toISOString(),
    notifiedAt: row.notifiedAt?.toISOString() ?? null,
    acknowledgedBy: row.acknowledgedBy,
    acknowledgedAt: row.acknowledgedAt?.toISOString() ?? null,
    ackComment: row.ackComment,
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    samples: JSON.parse(row.samples) as AlertEventSample[],
  };
}

/** Open alerts first (newest first), then the most recently resolved. */
export async function listAlerts(db: Db, input: { resolvedTake?: number } = {}): Promise<AlertView[]> {
  const [open, resolved] = await Promise.all([
    db.alert.findMany({ where: { state: { not: 'resolved' } }, orderBy: { lastAt: 'desc' }, take: 200 }),
    db.alert.findMany({ where: { state: 'resolved' }, orderBy: { resolvedAt: 'desc' }, take: input.resolvedTake ?? 20 }),
  ]);
  return [...open, ...resolved].map(alertView);
}

export const findAlert = (db: Queryable, id: string) => db.alert.findUnique({ where: { id } });

export function silenceView(row: SilenceRow, now = new Date()): SilenceView {
  return {
    id: row.id,
    matchers: JSON.parse(row.matchers) as SilenceMatcher[],
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    author: row.author,
    comment: row.comment,
    active: row.startsAt <= now && row.endsAt > now,
  };
}

export async function activeSilences(db: Queryable, now: Date): Promise<SilenceView[]> {
  return (await db.alertSilence.findMany({ where: { startsAt: { lte: now }, endsAt: { gt: now } } })).map((row) => silenceView(row, now));
}

/** Active silences and those that ended within the last day. */
export async function listSilences(db: Db, now = new Date()): Promise<SilenceView[]> {
  const rows = await db.alertSilence.findMany({ where: { endsAt: { gt: new Date(now.getTime() - 86_400_000) } }, orderBy: { endsAt: 'desc' }, take: 200 });
  return rows.map((row) => silenceView(row, now));
}

export async function createDeliveries(tx: DbTx, messages: Array<{ channel: string; message: AlertMessage }>, now: Date): Promise<void> {
  if (messages.length === 0) return;
  await tx.alertDelivery.createMany({
    data: messages.map(({ channel, message }) => ({
      id: message.deliveryId,
      alertId: message.alertId,
      channel,
      message: JSON.stringify(message),
      state: 'pending',
      nextAttemptAt: now,
      createdAt: now,
    })),
  });
}

export const dueDeliveries = (db: Db, now: Date) =>
  db.alertDelivery.findMany({ where: { state: 'pending', nextAttemptAt: { lte: now } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: 200 });

/** The soonest moment anything the engine schedules is due, or null when nothing is scheduled. */
export async function nextDueAt(db: Db): Promise<Date | null> {
  const [delivery, flush, repeat] = await Promise.all([
    db.alertDelivery.findFirst({ where: { state: 'pending' }, orderBy: { nextAttemptAt: 'asc' }, select: { nextAttemptAt: true } }),
    db.alert.findFirst({ where: { state: 'firing', flushAt: { not: null } }, orderBy: { flushAt: 'asc' }, select: { flushAt: true } }),
    db.alert.findFirst({ where: { state: 'firing', repeatAt: { not: null } }, orderBy: { repeatAt: 'asc' }, select: { repeatAt: true } }),
  ]);
  const times = [delivery?.nextAttemptAt, flush?.flushAt, repeat?.repeatAt].filter((time): time is Date => time instanceof Date);
  return times.length === 0 ? null : new Date(Math.min(...times.map((time) => time.getTime())));
}

export async function deliveriesOf(db: Db, alertId: string) {
  return db.alertDelivery.findMany({
    where: { alertId },
    orderBy: { createdAt: 'asc' },
    select: { id: true, channel: true, state: true, attempts: true, sentAt: true, error: true },
  });
}
