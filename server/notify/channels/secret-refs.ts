import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { SecretRef } from '@/lib/config/alert-channels-config';
import type { NotificationChannel } from '@/lib/config/notifications-config';
import { readNamedSecret } from '../../env/named-secrets';
import { DeliveryError } from '../delivery-error';

/** A credential named by the config, read at delivery: a missing one fails that channel's delivery, never the worker. */
export function readSecretRef(ref: SecretRef): string {
  const value = readSecretRefOrNull(ref);
  if (value !== null) return value;
  throw new DeliveryError(
    'env' in ref ? `the environment variable ${ref.env} is not set` : `the secret file ${ref.file} is missing, empty, or not a regular file under 64 KiB`,
    false,
  );
}

/** Far more than any token or key; a bigger file is a wrong path, not a credential. */
export const SECRET_FILE_LIMIT_BYTES = 64 * 1024;

/**
 * A secret file's text, read without waiting: non-blocking, so a FIFO (or a device) put in its
 * place cannot stop the worker's event loop, and only a regular file is read. A symlink is
 * followed: Kubernetes mounts every secret as one, and only the config's author names the path.
 */
function readSecretFile(file: string): string | null {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return null;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > SECRET_FILE_LIMIT_BYTES) return null;
    const bytes = Buffer.alloc(stat.size);
    const read = readSync(fd, bytes, 0, stat.size, 0);
    return bytes.subarray(0, read).toString('utf8');
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

export function readSecretRefOrNull(ref: SecretRef): string | null {
  if ('env' in ref) return readNamedSecret(ref.env) ?? null;
  // A trailing newline is how editors and `echo` write a secret file; it is never part of the secret.
  const value = readSecretFile(ref.file)?.trim() ?? '';
  return value === '' ? null : value;
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
