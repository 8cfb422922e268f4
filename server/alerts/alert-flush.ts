import { alertRuleSchema, type AlertRule } from '@/lib/alerts/alert-rules';
import type { AuditEventInput } from '@/lib/audit/types';
import type { NotificationChannel } from '@/lib/config/notifications-config';
import type { Db } from '../db/client';
import { createDeliveries, type AlertRow } from '../queries/alerts';
import { channelsOf, messagesFor, summaryOf } from './alert-messages';

export interface FlushInput {
  db: Db;
  rules: ReadonlyMap<string, AlertRule>;
  channels: readonly NotificationChannel[];
  now: Date;
  link: (alertId: string) => string | null;
}

// A rule removed while its alert is open still needs timings: the schema's defaults.
const FALLBACK_RULE = alertRuleSchema.parse({ name: 'removed', events: ['*'] });

/**
 * Turns what is due into outbox rows, each in the transaction that records it was sent:
 * bursts past their group wait or interval, reminders past the repeat interval, and
 * resolutions of alerts quiet for their rule's resolveAfter. Returns the audit events to append.
 */
export async function flushDueAlerts(input: FlushInput): Promise<AuditEventInput[]> {
  const { db, now } = input;
  const events: AuditEventInput[] = [];
  const ruleOf = (row: AlertRow) => input.rules.get(row.rule) ?? FALLBACK_RULE;
  const due = await db.alert.findMany({
    where: { state: 'firing', OR: [{ flushAt: { lte: now }, pending: { gt: 0 } }, { repeatAt: { lte: now } }] },
    orderBy: { firstAt: 'asc' },
    take: 100,
  });
  for (const row of due) {
    const rule = ruleOf(row);
    const repeat = row.pending === 0;
    const status = repeat ? 'repeat' : 'firing';
    const channels = channelsOf(rule, input.channels);
    const messages = messagesFor({ row, status, newEvents: row.pending, channels, link: input.link(row.id) });
    await db.$transaction(async (tx) => {
      await tx.alert.update({
        where: { id: row.id },
        // A message that reached no channel was heard by nobody: once a channel exists, the group's
        // next events go out after its group wait, not a group interval counted from that silence.
        data:
          channels.length > 0
            ? { pending: 0, flushAt: null, notifiedAt: now, repeatAt: new Date(now.getTime() + rule.repeatIntervalSeconds * 1000) }
            : { pending: 0, flushAt: null, notifiedAt: null, repeatAt: null },
      });
      await createDeliveries(tx, messages, now);
    });
    events.push(
      alertEvent(row, repeat ? 'alert.repeated' : 'alert.notified', `${status} to ${channels.map((c) => c.name).join(', ') || 'no channel'}`, {
        channels: channels.map((c) => c.name),
        newEvents: row.pending,
      }),
    );
  }
  events.push(...(await resolveQuietAlerts(input, ruleOf)));
  return events;
}

async function resolveQuietAlerts(input: FlushInput, ruleOf: (row: AlertRow) => AlertRule): Promise<AuditEventInput[]> {
  const { db, now } = input;
  const candidates = await db.alert.findMany({ where: { state: { not: 'resolved' }, lastAt: { lt: new Date(now.getTime() - 60_000) } }, take: 200 });
  const events: AuditEventInput[] = [];
  for (const row of candidates) {
    const rule = ruleOf(row);
    if (now.getTime() - row.lastAt.getTime() < rule.resolveAfterSeconds * 1000) continue;
    // Only an alert someone heard of needs its "resolved"; one silenced before its first message ends quietly.
    const channels = row.notifiedAt ? channelsOf(rule, input.channels) : [];
    const messages = messagesFor({ row: { ...row, state: 'resolved' }, status: 'resolved', newEvents: 0, channels, link: input.link(row.id) });
    await db.$transaction(async (tx) => {
      await tx.alert.update({ where: { id: row.id }, data: { state: 'resolved', resolvedAt: now, pending: 0, flushAt: null, repeatAt: null } });
      await createDeliveries(tx, messages, now);
    });
    events.push(alertEvent(row, 'alert.resolved', `resolved after ${rule.resolveAfterSeconds} s without events`, { channels: channels.map((c) => c.name) }));
  }
  return events;
}

export function alertEvent(
  row: AlertRow,
  type: string,
  action: string,
  details: Record<string, string | number | string[]>,
  actor = 'system',
): AuditEventInput {
  return {
    type,
    severity: type === 'alert.notified' ? (row.severity as AuditEventInput['severity']) : 'info',
    actor,
    action: action.slice(0, 200),
    module: 'alerts',
    resource: `alert:${row.id}`,
    reason: summaryOf(row).slice(0, 2000),
    method: 'alert-rule',
    details: { rule: row.rule, count: row.count, ...details },
  };
}
