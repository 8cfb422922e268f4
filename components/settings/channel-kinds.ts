/** Every channel kind the config file takes, as the console's kind picker names them. */
export const CHANNEL_KINDS = [
  { value: 'webhook', label: 'Webhook' },
  { value: 'slack', label: 'Slack (or compatible)' },
  { value: 'discord', label: 'Discord' },
  { value: 'teams', label: 'Microsoft Teams' },
  { value: 'ntfy', label: 'ntfy' },
  { value: 'email', label: 'Email (SMTP)' },
  { value: 'telegram', label: 'Telegram' },
  { value: 'pushover', label: 'Pushover' },
  { value: 'pagerduty', label: 'PagerDuty (Events v2)' },
  { value: 'opsgenie', label: 'Opsgenie' },
  { value: 'alertmanager', label: 'Alertmanager' },
] as const;

export type Channel = Record<string, unknown> & { name: string; kind: string };

/** A new channel of a kind, with the file's defaults; the name is kept when the kind changes. */
export function blankChannel(kind: string, name: string): Channel {
  const common = { name, minLevel: 3, timeoutSeconds: 10, retries: 3, queueSize: 100 };
  switch (kind) {
    case 'email':
      return { ...common, kind, host: '', port: 587, security: 'starttls', rejectUnauthorized: true, from: '', to: [] };
    case 'ntfy':
      return { ...common, kind, url: 'https://ntfy.sh', topic: '' };
    case 'webhook':
      return { ...common, kind, url: '', headers: {} };
    case 'telegram':
      return { ...common, kind, botToken: { env: '' }, chatId: '', apiUrl: 'https://api.telegram.org' };
    case 'pushover':
      return { ...common, kind, token: { env: '' }, user: { env: '' }, apiUrl: 'https://api.pushover.net' };
    case 'pagerduty':
      return { ...common, kind, routingKey: { env: '' }, apiUrl: 'https://events.pagerduty.com' };
    case 'opsgenie':
      return { ...common, kind, apiKey: { env: '' }, apiUrl: 'https://api.opsgenie.com' };
    case 'alertmanager':
      return { ...common, kind, urls: [], labels: {}, expireAfterMinutes: 60 };
    default:
      return { ...common, kind, url: '' };
  }
}
