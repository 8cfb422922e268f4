import { readFileSync } from 'node:fs';
import type { SecretRef } from '@/lib/config/alert-channels-config';
import type { NotificationChannel } from '@/lib/config/notifications-config';
import { readNamedSecret } from '../../env/named-secrets';
import { DeliveryError } from '../delivery-error';

/** A credential named by the config, read at delivery: a missing one fails that channel's delivery, never the worker. */
export function readSecretRef(ref: SecretRef): string {
  const value = readSecretRefOrNull(ref);
  if (value !== null) return value;
  throw new DeliveryError('env' in ref ? `the environment variable ${ref.env} is not set` : `the secret file ${ref.file} is missing or empty`, false);
}

export function readSecretRefOrNull(ref: SecretRef): string | null {
  if ('env' in ref) return readNamedSecret(ref.env) ?? null;
  try {
    // A trailing newline is how editors and `echo` write a secret file; it is never part of the secret.
    const value = readFileSync(ref.file, 'utf8').trim();
    return value === '' ? null : value;
  } catch {
    return null;
  }
}

/** Every credential a channel names, for scrubbing error text. */
export function secretRefsOf(channel: NotificationChannel): SecretRef[] {
  switch (channel.kind) {
    case 'telegram':
      return [channel.botToken];
    case 'ntfy':
      return channel.token ? [channel.token] : [];
    case 'pushover':
      return [channel.token, channel.user];
    case 'pagerduty':
      return [channel.routingKey];
    case 'opsgenie':
      return [channel.apiKey];
    default:
      return [];
  }
}
