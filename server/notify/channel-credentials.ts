import type { AlertmanagerChannel, NotificationChannel } from '@/lib/config/notifications-config';
import { readNamedSecret } from '../env/named-secrets';
import { readSecretRefOrNull, secretRefsOf } from './channels/secret-refs';

// Looked up at each delivery, like the rest of the notifications config: a channel whose
// variable is missing fails its own deliveries (audited) instead of stopping the worker.

export class MissingCredentialError extends Error {}

/** The `Authorization` header for an Alertmanager channel, or null when it has no auth. */
export function alertmanagerAuthorization(channel: AlertmanagerChannel): string | null {
  const auth = channel.auth;
  if (!auth) return null;
  const name = 'bearerTokenEnv' in auth ? auth.bearerTokenEnv : auth.passwordEnv;
  const value = readNamedSecret(name);
  if (!value) throw new MissingCredentialError(`the environment variable ${name} named by auth is not set`);
  return 'bearerTokenEnv' in auth ? `Bearer ${value}` : `Basic ${Buffer.from(`${auth.username}:${value}`).toString('base64')}`;
}

/** The secret values behind a channel's environment variables, for scrubbing error text. */
export function environmentSecrets(channel: NotificationChannel): string[] {
  const named = secretRefsOf(channel)
    .map((ref) => readSecretRefOrNull(ref))
    .filter((value): value is string => value !== null);
  if (channel.kind !== 'alertmanager' || !channel.auth) return named;
  const name = 'bearerTokenEnv' in channel.auth ? channel.auth.bearerTokenEnv : channel.auth.passwordEnv;
  const value = readNamedSecret(name);
  return value ? [value] : [];
}
