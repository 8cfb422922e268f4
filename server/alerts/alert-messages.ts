import { randomUUID } from 'node:crypto';
import type { AlertEventSample, AlertMessage, AlertMessageStatus } from '@/lib/alerts/alert-message';
import type { AlertRule } from '@/lib/alerts/alert-rules';
import type { Severity } from '@/lib/audit/types';
import type { NotificationChannel } from '@/lib/config/notifications-config';
import type { AlertRow } from '../queries/alerts';

/** The channels a rule routes to, among those configured now: `*` is all of them; a name not configured is skipped. */
export function channelsOf(rule: Pick<AlertRule, 'channels'>, configured: readonly NotificationChannel[]): NotificationChannel[] {
  if (rule.channels.includes('*')) return [...configured];
  return configured.filter((channel) => rule.channels.includes(channel.name));
}

/** Only services that keep an incident of their own hear of an acknowledgement. */
export const tracksAcknowledgement = (channel: NotificationChannel): boolean => channel.kind === 'pagerduty' || channel.kind === 'opsgenie';

export function summaryOf(row: Pick<AlertRow, 'rule' | 'count' | 'labels'>): string {
  const labels = JSON.parse(row.labels) as Record<string, string>;
  const where = [labels.module && `on ${labels.module}`, labels.resource && `(${labels.resource})`].filter(Boolean).join(' ');
  return `${row.rule}: ${row.count} event${row.count === 1 ? '' : 's'} ${labels.type ?? ''}${where ? ` ${where}` : ''}`
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 500);
}

/** One message per channel: each gets its own delivery id, all share the alert's dedup key. */
export function messagesFor(input: {
  row: AlertRow;
  status: AlertMessageStatus;
  newEvents: number;
  channels: readonly NotificationChannel[];
  link: string | null;
}): Array<{ channel: string; message: AlertMessage }> {
  const { row } = input;
  const base: Omit<AlertMessage, 'deliveryId'> = {
    alertId: row.id,
    dedupKey: `vigil-alert-${row.id}`,
    status: input.status,
    rule: row.rule,
    severity: row.severity as Severity,
    summary: summaryOf(row),
    labels: JSON.parse(row.labels) as Record<string, string>,
    count: row.count,
    newEvents: input.newEvents,
    firstAt: row.firstAt.toISOString(),
    lastAt: row.lastAt.toISOString(),
    samples: JSON.parse(row.samples) as AlertEventSample[],
    acknowledgedBy: row.acknowledgedBy,
    link: input.link,
  };
  return input.channels.map((channel) => ({ channel: channel.name, message: { ...base, deliveryId: randomUUID() } }));
}
