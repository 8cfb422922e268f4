import { createHmac, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { AlertmanagerChannel, EmailChannel, NotificationChannel, SlackChannel, WebhookChannel } from '@/lib/config/notifications-config';
import type { IncidentNotification } from '@/lib/healing/incident';
export { DeliveryError } from './delivery-error';
import { alertmanagerAlert } from './alertmanager-alerts';
import { alertmanagerAuthorization, MissingCredentialError } from './channel-credentials';
import { DeliveryError } from './delivery-error';
import { alertMessageOfIncident } from './channels/incident-message';
import { sendAlert } from './channels/send-alert';
import { postForText } from './channels/http-post';
import { emailHtml, emailText, slackPayload, viewOf } from './message-format';

/** One attempt at one channel. `deliveryId` stays the same across retries so receivers can de-duplicate. */
export interface SendInput {
  notification: IncidentNotification;
  deliveryId: string;
  signal: AbortSignal;
}

export const newDeliveryId = (): string => randomUUID();

/** Hex HMAC-SHA256 of the exact body bytes, GitHub's `X-Hub-Signature-256` scheme. */
export const signBody = (secret: string, body: string): string => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

export function send(channel: NotificationChannel, input: SendInput): Promise<void> {
  switch (channel.kind) {
    case 'webhook':
      return sendWebhook(channel, input);
    case 'slack':
      return sendSlack(channel, input);
    case 'email':
      return sendEmail(channel, input);
    case 'alertmanager':
      return sendAlertmanager(channel, input);
    default:
      // The chat, push and paging services take the same message an alert rule sends.
      return sendAlert(channel, alertMessageOfIncident(input.notification, input.deliveryId), input.signal);
  }
}

async function sendWebhook(channel: WebhookChannel, { notification, deliveryId, signal }: SendInput): Promise<void> {
  const body = JSON.stringify(notification);
  const headers: Record<string, string> = { ...channel.headers, 'x-vigil-event': notification.kind, 'x-vigil-delivery': deliveryId };
  if (channel.secret) headers['x-vigil-signature'] = signBody(channel.secret, body);
  await postJson({ url: channel.url, body, headers, timeoutMs: channel.timeoutSeconds * 1000, signal });
}

function sendSlack(channel: SlackChannel, { notification, signal }: SendInput): Promise<void> {
  return postJson({ url: channel.url, body: JSON.stringify(slackPayload(notification)), headers: {}, timeoutMs: channel.timeoutSeconds * 1000, signal });
}

/** Every Alertmanager of the channel gets the alert; one that took it is enough, as they gossip it to each other. */
async function sendAlertmanager(channel: AlertmanagerChannel, { notification, signal }: SendInput): Promise<void> {
  let authorization: string | null;
  try {
    authorization = alertmanagerAuthorization(channel);
  } catch (error) {
    if (error instanceof MissingCredentialError) throw new DeliveryError(error.message, false);
    throw error;
  }
  const body = JSON.stringify([alertmanagerAlert({ notification, channel, hostname: hostname(), now: Date.now() })]);
  const headers: Record<string, string> = authorization ? { authorization } : {};
  const failures: DeliveryError[] = [];
  for (const base of channel.urls) {
    const url = new URL('api/v2/alerts', base.endsWith('/') ? base : `${base}/`).toString();
    try {
      await postJson({ url, body, headers, timeoutMs: channel.timeoutSeconds * 1000, signal });
      return;
    } catch (error) {
      failures.push(error instanceof DeliveryError ? error : new DeliveryError((error as Error).message, true));
    }
  }
  const reasons = failures.map((failure, index) => (channel.urls.length > 1 ? `${new URL(channel.urls[index]).host}: ${failure.message}` : failure.message));
  throw new DeliveryError(
    reasons.join('; '),
    failures.some((failure) => failure.retryable),
  );
}

async function postJson(input: { url: string; body: string; headers: Record<string, string>; timeoutMs: number; signal: AbortSignal }): Promise<void> {
  await postForText(input);
}

function sendEmail(channel: EmailChannel, { notification, signal }: SendInput): Promise<void> {
  const mail = {
    subject: viewOf(notification).subject,
    text: emailText(notification),
    html: emailHtml(notification),
    headers: { 'X-Vigil-Incident': notification.incident.id, 'X-Vigil-Event': notification.kind },
  };
  return sendMail(channel, mail, signal);
}

export interface Mail {
  subject: string;
  text: string;
  html?: string;
  headers: Record<string, string>;
}

export async function sendMail(channel: EmailChannel, mail: Mail, signal: AbortSignal): Promise<void> {
  const timeoutMs = channel.timeoutSeconds * 1000;
  // Loaded on the first email: most installations have no email channel, and it weighs ~12 MiB resident.
  const { default: nodemailer } = await import('nodemailer');
  const transport = nodemailer.createTransport({
    host: channel.host,
    port: channel.port,
    secure: channel.security === 'tls',
    requireTLS: channel.security === 'starttls',
    ignoreTLS: channel.security === 'none',
    auth: channel.auth ? { user: channel.auth.user, pass: channel.auth.password } : undefined,
    tls: { rejectUnauthorized: channel.rejectUnauthorized },
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    dnsTimeout: timeoutMs,
  });
  try {
    await transport.sendMail({
      from: channel.from,
      to: channel.to,
      ...mail,
      // The message is built from our own strings: nothing may read files or URLs into it.
      disableFileAccess: true,
      disableUrlAccess: true,
      signal,
    });
  } catch (error) {
    const failure = error as { message?: string; code?: string; responseCode?: number; permanent?: boolean };
    // Bad credentials, a refused TLS upgrade or an untrusted certificate fail the same way on every retry.
    const badCertificate = failure.code === 'ESOCKET' && /certificate/i.test(failure.message ?? '');
    const permanent = failure.permanent === true || badCertificate || failure.code === 'EAUTH' || failure.code === 'ETLS' || failure.code === 'ENOAUTH';
    const reply = failure.responseCode ? ` (SMTP ${failure.responseCode})` : '';
    throw new DeliveryError(`${failure.code ?? 'SMTP error'}${reply}: ${(failure.message ?? '').split('\n')[0]}`, !permanent);
  } finally {
    transport.close();
  }
}
