import { alertHeadline, alertTextLines, alertTitle, type AlertMessage } from '@/lib/alerts/alert-message';
import type { Severity } from '@/lib/audit/types';

/** Each service's documented request body for one alert message; pure, so each is tested as data. */

const SEVERE: readonly Severity[] = ['high', 'critical'];
const plainText = (message: AlertMessage): string => [alertTitle(message), '', ...alertTextLines(message)].join('\n');

/** Bot API sendMessage: plain text (no parse_mode), so nothing in an event can inject markup. Telegram caps text at 4096. */
export const telegramBody = (message: AlertMessage, chatId: string | number) => ({
  chat_id: chatId,
  text: plainText(message).slice(0, 4096),
  disable_web_page_preview: true,
});

/** ntfy's JSON publishing (POST to the server's root URL): priority 5 is "max", 3 "default". */
export const ntfyBody = (message: AlertMessage, topic: string) => ({
  topic,
  title: alertTitle(message),
  message: alertTextLines(message).join('\n').slice(0, 4000),
  priority: message.status === 'resolved' ? 2 : message.severity === 'critical' ? 5 : SEVERE.includes(message.severity) ? 4 : 3,
  tags: [message.status === 'resolved' ? 'white_check_mark' : 'rotating_light', `vigil-${message.status}`],
  ...(message.link && { click: message.link }),
});

/** A Teams workflow or incoming webhook takes a message with one Adaptive Card attachment. */
export const teamsBody = (message: AlertMessage) => ({
  type: 'message',
  attachments: [
    {
      contentType: 'application/vnd.microsoft.card.adaptive',
      contentUrl: null,
      content: {
        $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
        type: 'AdaptiveCard',
        version: '1.4',
        body: [
          {
            type: 'TextBlock',
            size: 'Medium',
            weight: 'Bolder',
            wrap: true,
            text: alertTitle(message),
            color: message.status === 'resolved' ? 'Good' : 'Attention',
          },
          ...alertTextLines(message).map((line) => ({ type: 'TextBlock', wrap: true, spacing: 'Small', text: line })),
        ],
        ...(message.link && { actions: [{ type: 'Action.OpenUrl', title: 'Open in Vigil', url: message.link }] }),
      },
    },
  ],
});

const DISCORD_COLOURS = { resolved: 0x2eb67d, critical: 0xe01e5a, other: 0xf2952f } as const;

/** Discord webhook execute: one embed; `allowed_mentions` empty so event text can never ping @everyone. */
export const discordBody = (message: AlertMessage) => ({
  username: 'Vigil',
  allowed_mentions: { parse: [] },
  embeds: [
    {
      title: alertTitle(message).slice(0, 256),
      description: alertTextLines(message).join('\n').slice(0, 4096),
      color: message.status === 'resolved' ? DISCORD_COLOURS.resolved : message.severity === 'critical' ? DISCORD_COLOURS.critical : DISCORD_COLOURS.other,
      timestamp: message.lastAt,
      ...(message.link && { url: message.link }),
    },
  ],
});

/** Pushover's messages API takes a form; priority 1 is "high" (2 would need retry/expire receipts). */
export function pushoverForm(message: AlertMessage, credentials: { token: string; user: string }): URLSearchParams {
  const form = new URLSearchParams({
    token: credentials.token,
    user: credentials.user,
    title: alertTitle(message).slice(0, 250),
    message: alertTextLines(message).join('\n').slice(0, 1024),
    priority: message.status === 'resolved' ? '-1' : SEVERE.includes(message.severity) ? '1' : '0',
    timestamp: String(Math.floor(Date.parse(message.lastAt) / 1000) || Math.floor(Date.now() / 1000)),
  });
  if (message.link) form.set('url', message.link);
  return form;
}

const PAGERDUTY_SEVERITY: Record<Severity, 'critical' | 'error' | 'warning' | 'info'> = {
  critical: 'critical',
  high: 'error',
  warning: 'warning',
  notice: 'info',
  info: 'info',
  debug: 'info',
};

/** Events API v2: one dedup_key per alert, so trigger, acknowledge and resolve all land on the same PagerDuty incident. */
export function pagerdutyBody(message: AlertMessage, routingKey: string, host: string) {
  const action = message.status === 'acknowledged' ? 'acknowledge' : message.status === 'resolved' ? 'resolve' : 'trigger';
  if (action !== 'trigger') return { routing_key: routingKey, event_action: action, dedup_key: message.dedupKey };
  return {
    routing_key: routingKey,
    event_action: action,
    dedup_key: message.dedupKey,
    payload: {
      summary: message.summary.slice(0, 1024),
      source: message.labels.host || host,
      severity: PAGERDUTY_SEVERITY[message.severity],
      timestamp: message.lastAt,
      component: message.labels.module,
      group: message.rule,
      class: message.labels.type,
      custom_details: { count: message.count, newEvents: message.newEvents, firstAt: message.firstAt, events: alertTextLines(message) },
    },
    client: 'Vigil',
    ...(message.link && { client_url: message.link }),
  };
}

const OPSGENIE_PRIORITY: Record<Severity, string> = { critical: 'P1', high: 'P2', warning: 'P3', notice: 'P4', info: 'P5', debug: 'P5' };

/** Opsgenie Alert API: create (the alias de-duplicates), then acknowledge or close by alias. */
export function opsgenieRequest(message: AlertMessage): { path: string; body: object } {
  const alias = encodeURIComponent(message.dedupKey);
  if (message.status === 'acknowledged')
    return {
      path: `/v2/alerts/${alias}/acknowledge?identifierType=alias`,
      body: { source: 'Vigil', user: message.acknowledgedBy ?? 'Vigil', note: 'acknowledged in Vigil' },
    };
  if (message.status === 'resolved') return { path: `/v2/alerts/${alias}/close?identifierType=alias`, body: { source: 'Vigil', note: 'resolved in Vigil' } };
  return {
    path: '/v2/alerts',
    body: {
      message: message.summary.slice(0, 130),
      alias: message.dedupKey.slice(0, 512),
      description: alertTextLines(message).join('\n').slice(0, 15_000),
      priority: OPSGENIE_PRIORITY[message.severity],
      source: 'Vigil',
      tags: ['vigil', message.rule].map((tag) => tag.slice(0, 50)),
      details: Object.fromEntries(Object.entries(message.labels).slice(0, 20)),
    },
  };
}

export const slackAlertBody = (message: AlertMessage) => ({ text: plainText(message).slice(0, 3000) });
export const emailAlert = (message: AlertMessage) => ({ subject: alertTitle(message), text: plainText(message), headline: alertHeadline(message) });
