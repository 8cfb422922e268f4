import type { AuditEventInput } from '@/lib/audit/types';
import { channelSecrets, type NotificationChannel } from '@/lib/config/notifications-config';
import type { IncidentNotification } from '@/lib/healing/incident';
import { environmentSecrets } from './channel-credentials';

/** Where a channel delivers, as far as it is safe to show: host and port, never a path or token. */
export function channelTarget(channel: NotificationChannel): string {
  if (channel.kind === 'email') return `${channel.host}:${channel.port}`;
  if (channel.kind === 'alertmanager') return channel.urls.map((url) => new URL(url).host).join(', ');
  return new URL('url' in channel ? channel.url : channel.apiUrl).host;
}

/** Error text may echo what was sent or where; no configured secret leaves through it. */
export function scrubSecrets(text: string, channel: NotificationChannel): string {
  let scrubbed = text;
  for (const secret of [...channelSecrets(channel), ...environmentSecrets(channel)].sort((a, b) => b.length - a.length))
    scrubbed = scrubbed.split(secret).join('[redacted]');
  return scrubbed.slice(0, 500);
}

export interface DeliveryOutcome {
  channel: NotificationChannel;
  notification: IncidentNotification;
  deliveryId: string;
  attempts: number;
  /** Null when delivered. */
  error: string | null;
  /** Who asked: "system" for incidents, the operator for a test. */
  actor: string;
}

function baseDetails(channel: NotificationChannel, notification: IncidentNotification, deliveryId: string) {
  return {
    channel: channel.name,
    channelKind: channel.kind,
    target: channelTarget(channel),
    ...(channel.kind === 'email' ? { recipients: channel.to } : {}),
    kind: notification.kind,
    incidentId: notification.incident.id,
    escalationLevel: notification.incident.escalationLevel,
    deliveryId,
    test: notification.test === true,
  };
}

export function deliveryEvent(outcome: DeliveryOutcome): AuditEventInput {
  const { channel, notification, error } = outcome;
  const what = `${notification.test ? 'test ' : ''}${notification.kind} notification`;
  return {
    type: error === null ? 'notification.sent' : 'notification.failed',
    severity: error === null ? 'info' : 'warning',
    actor: outcome.actor,
    action: error === null ? `${what} sent to ${channel.name}` : `${what} to ${channel.name} failed`,
    module: notification.incident.module,
    resource: `incident/${notification.incident.id}`,
    method: channel.kind,
    reason: error === null ? null : scrubSecrets(error, channel),
    details: { ...baseDetails(channel, notification, outcome.deliveryId), attempts: outcome.attempts },
  };
}

export function droppedEvent(input: { channel: NotificationChannel; notification: IncidentNotification; deliveryId: string; why: string }): AuditEventInput {
  const { channel, notification } = input;
  return {
    type: 'notification.dropped',
    severity: 'warning',
    actor: 'system',
    action: `${notification.kind} notification to ${channel.name} dropped`,
    module: notification.incident.module,
    resource: `incident/${notification.incident.id}`,
    method: channel.kind,
    reason: input.why,
    details: baseDetails(channel, notification, input.deliveryId),
  };
}
