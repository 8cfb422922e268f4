import type { Severity } from '../audit/types';

/** Why a message about an alert goes out now. */
export type AlertMessageStatus = 'firing' | 'repeat' | 'acknowledged' | 'resolved';

/** A sample of the events behind a message (the newest few of the burst). */
export interface AlertEventSample {
  seq: number;
  at: string;
  type: string;
  severity: Severity;
  action: string;
  module: string | null;
  resource: string | null;
  source: string | null;
}

/** One message about one alert group, whatever the channel; each channel renders it its own way. */
export interface AlertMessage {
  alertId: string;
  /** Stable per alert: PagerDuty's dedup_key, Opsgenie's alias, a webhook receiver's grouping key. */
  dedupKey: string;
  /** Stable across retries and a crash: receivers de-duplicate on it. */
  deliveryId: string;
  status: AlertMessageStatus;
  rule: string;
  severity: Severity;
  /** e.g. "lockdown engaged: 3 events (defense.lockdown) on defense". One line. */
  summary: string;
  labels: Record<string, string>;
  /** Events in this alert since it opened. */
  count: number;
  /** Events since the previous message. */
  newEvents: number;
  firstAt: string;
  lastAt: string;
  samples: AlertEventSample[];
  acknowledgedBy: string | null;
  link: string | null;
  test?: boolean;
}

const HEADLINES: Record<AlertMessageStatus, string> = { firing: 'FIRING', repeat: 'STILL FIRING', acknowledged: 'ACKNOWLEDGED', resolved: 'RESOLVED' };

export const alertHeadline = (message: AlertMessage): string => `${message.test ? 'TEST ' : ''}${HEADLINES[message.status]}`;

/** "[Vigil] FIRING lockdown engaged: …", one line, for subjects and titles. */
export const alertTitle = (message: AlertMessage): string => `[Vigil] ${alertHeadline(message)} ${message.summary}`.replace(/[\r\n]+/g, ' ').slice(0, 250);

/** Plain text body lines: what, how many, since when, and the newest events. */
export function alertTextLines(message: AlertMessage): string[] {
  const lines = [
    `Rule: ${message.rule} · severity ${message.severity}`,
    `Events: ${message.count} since ${message.firstAt} (${message.newEvents} new), last ${message.lastAt}`,
  ];
  if (message.acknowledgedBy) lines.push(`Acknowledged by ${message.acknowledgedBy}`);
  for (const sample of message.samples)
    lines.push(`#${sample.seq} ${sample.at} ${sample.type} ${sample.severity}: ${sample.action}${sample.resource ? ` (${sample.resource})` : ''}`);
  if (message.link) lines.push(message.link);
  return lines;
}
