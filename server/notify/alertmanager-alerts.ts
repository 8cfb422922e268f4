import { INCIDENT_LABEL } from '@/lib/alerts/alert-labels';
import type { AlertmanagerChannel } from '@/lib/config/notifications-config';
import type { FailureClass, IncidentNotification } from '@/lib/healing/incident';

/** One element of Alertmanager's `POST /api/v2/alerts` body (its `postableAlert`). */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL?: string;
}

/** One name per failure class, so routes and silences in Alertmanager can tell them apart. */
export const ALERT_NAMES: Record<FailureClass, string> = {
  transient: 'VigilModuleFailing',
  degradation: 'VigilModuleDegraded',
  service_failure: 'VigilModuleDown',
  data_corruption: 'VigilDataCorruption',
  drift: 'VigilConfigDrift',
  critical: 'VigilCriticalFailure',
};

const TEST_ALERT_LIFETIME_MS = 5 * 60_000;

/**
 * The alert for one notification. Its labels stay the same for the whole life of an incident
 * (the escalation level is an annotation), because Alertmanager identifies an alert by its
 * labels: the alert, critical, reminder and recovery notices all update one alert, and the
 * recovery's `endsAt` in the past resolves it.
 */
export function alertmanagerAlert(input: { notification: IncidentNotification; channel: AlertmanagerChannel; hostname: string; now: number }): PostableAlert {
  const { notification, channel, now } = input;
  const { incident } = notification;
  const labels: Record<string, string> = {
    ...channel.labels,
    alertname: notification.test ? 'VigilTestNotification' : ALERT_NAMES[incident.failureClass],
    module: incident.module,
    severity: incident.severity,
    instance: channel.instance ?? input.hostname,
    [INCIDENT_LABEL]: incident.id,
  };
  const annotations: Record<string, string> = {
    summary: incident.title,
    description: notification.message,
    escalation_level: String(incident.escalationLevel),
    failure_class: incident.failureClass,
  };
  if (incident.rootCause) annotations.root_cause = incident.rootCause;
  if (notification.link) annotations.incident_url = notification.link;
  const lifetime = notification.test ? TEST_ALERT_LIFETIME_MS : channel.expireAfterMinutes * 60_000;
  const endsAt = notification.kind === 'recovery' ? now : now + lifetime;
  return {
    labels,
    annotations,
    startsAt: notification.test ? new Date(now).toISOString() : incident.openedAt,
    endsAt: new Date(endsAt).toISOString(),
    ...(notification.link ? { generatorURL: notification.link } : {}),
  };
}
