import type { AlertMessage } from '@/lib/alerts/alert-message';
import type { IncidentNotification } from '@/lib/healing/incident';

/** A healing notification in the shape the chat, push and paging channels render. */
export function alertMessageOfIncident(notification: IncidentNotification, deliveryId: string): AlertMessage {
  const { incident } = notification;
  return {
    alertId: `incident-${incident.id}`,
    dedupKey: `vigil-incident-${incident.id}`,
    deliveryId,
    status: notification.kind === 'recovery' ? 'resolved' : notification.kind === 'reminder' ? 'repeat' : 'firing',
    rule: 'healing incident',
    severity: notification.kind === 'critical' ? 'critical' : incident.severity,
    summary: `${incident.module}: ${incident.title} — ${notification.message}`.replace(/[\r\n]+/g, ' ').slice(0, 500),
    labels: { module: incident.module, type: `healing.${notification.kind}` },
    count: 1,
    newEvents: 1,
    firstAt: incident.openedAt,
    lastAt: incident.resolvedAt ?? new Date().toISOString(),
    samples: [],
    acknowledgedBy: null,
    link: notification.link ?? null,
    test: notification.test,
  };
}
