import type { IncidentNotification, NotificationKind } from '@/lib/healing/incident';

const HEADLINES: Record<NotificationKind, string> = {
  alert: 'Alert',
  critical: 'CRITICAL',
  reminder: 'Still open',
  recovery: 'Resolved',
};

/** Slack's own palette, so the bar reads the same as other alerts in the channel. */
const COLOURS = { recovery: '#2eb67d', critical: '#e01e5a', high: '#f2952f', warning: '#ecb22e' } as const;

export interface NotificationView {
  /** e.g. "[Vigil] CRITICAL api: health check failing"; always one line. */
  subject: string;
  headline: string;
  colour: string;
  /** Label and value pairs for the body, in reading order. */
  facts: Array<[string, string]>;
}

const oneLine = (text: string): string => text.replace(/[\r\n]+/g, ' ').trim();

export function viewOf(notification: IncidentNotification): NotificationView {
  const { incident, kind } = notification;
  const headline = `${notification.test ? 'TEST ' : ''}${HEADLINES[kind]}`;
  const colour = kind === 'recovery' ? COLOURS.recovery : kind === 'critical' ? COLOURS.critical : COLOURS[incident.severity];
  const cause = incident.rootCause ? `, root cause ${incident.rootCause} (confidence ${Math.round(incident.confidence * 100)} %)` : '';
  const facts: Array<[string, string]> = [
    ['Module', incident.module],
    ['Severity', incident.severity],
    ['Escalation level', `${incident.escalationLevel} of 5`],
    ['Failure class', `${incident.failureClass}${cause}`],
    ['Opened', incident.openedAt],
  ];
  if (incident.resolvedAt) facts.push(['Resolved', incident.resolvedAt]);
  if (incident.affectedDependents.length > 0) facts.push(['Affected dependents', incident.affectedDependents.join(', ')]);
  facts.push(['Incident', incident.id]);
  if (notification.link) facts.push(['Link', notification.link]);
  return { subject: oneLine(`[Vigil] ${headline} ${incident.module}: ${incident.title}`).slice(0, 250), headline, colour, facts };
}

export function emailText(notification: IncidentNotification): string {
  const view = viewOf(notification);
  return [notification.message, '', ...view.facts.map(([label, value]) => `${label}: ${value}`), ''].join('\n');
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function emailHtml(notification: IncidentNotification): string {
  const view = viewOf(notification);
  const rows = view.facts
    .map(([label, value]) => `<tr><th align="left" style="padding:2px 12px 2px 0">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`)
    .join('');
  return [
    `<div style="font-family:sans-serif;border-left:4px solid ${view.colour};padding-left:12px">`,
    `<h2 style="margin:0 0 8px">${escapeHtml(view.headline)}: ${escapeHtml(notification.incident.title)}</h2>`,
    `<p>${escapeHtml(notification.message)}</p>`,
    `<table>${rows}</table>`,
    '</div>',
  ].join('\n');
}

/** Slack mrkdwn treats &, < and > as markup (links, mentions): escape them in our text. */
const escapeSlack = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Slack incoming-webhook payload: `text` is the fallback shown in push notifications. */
export function slackPayload(notification: IncidentNotification): Record<string, unknown> {
  const view = viewOf(notification);
  const { incident } = notification;
  const title = notification.link ? `<${notification.link}|${escapeSlack(incident.title)}>` : escapeSlack(incident.title);
  const context = view.facts.filter(([label]) => label !== 'Link' && label !== 'Incident').map(([label, value]) => `${label}: *${escapeSlack(value)}*`);
  return {
    text: view.subject,
    attachments: [
      {
        color: view.colour,
        fallback: view.subject,
        blocks: [
          {
            type: 'section',
            text: { type: 'mrkdwn', text: `*${escapeSlack(view.headline)} · ${escapeSlack(incident.module)}*: ${title}\n${escapeSlack(notification.message)}` },
          },
          { type: 'context', elements: [{ type: 'mrkdwn', text: context.join(' · ') }] },
        ],
      },
    ],
  };
}
