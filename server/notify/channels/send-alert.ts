import { hostname } from 'node:os';
import type { AlertMessage } from '@/lib/alerts/alert-message';
import { alertTitle } from '@/lib/alerts/alert-message';
import { renderTemplate } from '@/lib/alerts/message-template';
import type { AlertmanagerChannel, NotificationChannel } from '@/lib/config/notifications-config';
import { alertmanagerAuthorization, MissingCredentialError } from '../channel-credentials';
import { DeliveryError } from '../delivery-error';
import { sendMail, signBody } from '../senders';
import { discordBody, emailAlert, ntfyBody, opsgenieRequest, pagerdutyBody, pushoverForm, slackAlertBody, teamsBody, telegramBody } from './alert-payloads';
import { postForText } from './http-post';
import { readSecretRef } from './secret-refs';

const joinUrl = (base: string, path: string): string => `${base.replace(/\/+$/, '')}${path}`;

/** One attempt at delivering an alert message to one channel, in that service's own protocol. */
export async function sendAlert(channel: NotificationChannel, message: AlertMessage, signal: AbortSignal): Promise<void> {
  const timeoutMs = channel.timeoutSeconds * 1000;
  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    postForText({ url, body: JSON.stringify(body), headers, timeoutMs, signal });
  switch (channel.kind) {
    case 'webhook': {
      const body = channel.bodyTemplate ? renderTemplate(channel.bodyTemplate, message) : JSON.stringify({ kind: 'alert', alert: message });
      const headers: Record<string, string> = { ...channel.headers, 'x-vigil-event': `alert.${message.status}`, 'x-vigil-delivery': message.deliveryId };
      if (channel.secret) headers['x-vigil-signature'] = signBody(channel.secret, body);
      await postForText({ url: channel.url, body, headers, timeoutMs, signal });
      return;
    }
    case 'slack':
      await post(channel.url, slackAlertBody(message));
      return;
    case 'email': {
      const mail = emailAlert(message);
      await sendMail(
        channel,
        { subject: mail.subject, text: mail.text, headers: { 'X-Vigil-Alert': message.alertId, 'X-Vigil-Event': `alert.${message.status}` } },
        signal,
      );
      return;
    }
    case 'alertmanager':
      await sendToAlertmanager(channel, message, post);
      return;
    case 'telegram': {
      const token = readSecretRef(channel.botToken);
      const answer = await post(joinUrl(channel.apiUrl, `/bot${token}/sendMessage`), telegramBody(message, channel.chatId));
      // The Bot API answers 200 with ok:false for some refusals.
      if (!answer.includes('"ok":true')) throw new DeliveryError('Telegram did not confirm the message', false);
      return;
    }
    case 'ntfy': {
      const headers: Record<string, string> = channel.token ? { authorization: `Bearer ${readSecretRef(channel.token)}` } : {};
      await post(channel.url, ntfyBody(message, channel.topic), headers);
      return;
    }
    case 'teams':
      await post(channel.url, teamsBody(message));
      return;
    case 'discord':
      await post(channel.url, discordBody(message));
      return;
    case 'pushover': {
      const form = pushoverForm(message, { token: readSecretRef(channel.token), user: readSecretRef(channel.user) });
      await postForText({
        url: joinUrl(channel.apiUrl, '/1/messages.json'),
        body: form.toString(),
        contentType: 'application/x-www-form-urlencoded',
        timeoutMs,
        signal,
      });
      return;
    }
    case 'pagerduty':
      await post(joinUrl(channel.apiUrl, '/v2/enqueue'), pagerdutyBody(message, readSecretRef(channel.routingKey), hostname()));
      return;
    case 'opsgenie': {
      const { path, body } = opsgenieRequest(message);
      await post(joinUrl(channel.apiUrl, path), body, { authorization: `GenieKey ${readSecretRef(channel.apiKey)}` });
      return;
    }
  }
}

async function sendToAlertmanager(
  channel: AlertmanagerChannel,
  message: AlertMessage,
  post: (url: string, body: unknown, headers?: Record<string, string>) => Promise<string>,
) {
  let authorization: string | null;
  try {
    authorization = alertmanagerAuthorization(channel);
  } catch (error) {
    if (error instanceof MissingCredentialError) throw new DeliveryError(error.message, false);
    throw error;
  }
  const now = Date.now();
  const ended = message.status === 'resolved';
  const alert = {
    labels: {
      ...channel.labels,
      alertname: 'VigilAlert',
      rule: message.rule,
      severity: message.severity,
      instance: channel.instance ?? hostname(),
      vigil_alert: message.alertId,
    },
    annotations: { summary: alertTitle(message), description: message.summary },
    startsAt: message.firstAt,
    endsAt: new Date(ended ? now : now + channel.expireAfterMinutes * 60_000).toISOString(),
  };
  const failures: string[] = [];
  for (const base of channel.urls) {
    try {
      await post(joinUrl(base, '/api/v2/alerts'), [alert], authorization ? { authorization } : {});
      return;
    } catch (error) {
      failures.push((error as Error).message);
    }
  }
  throw new DeliveryError(failures.join('; '), true);
}
