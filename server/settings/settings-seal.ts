import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Console settings are sealed at rest with AES-256-GCM under a key derived from the worker's
 * secret (VIGIL_SECRET or `<data dir>/secret.key`), so a copy of the database alone (a backup,
 * a snapshot's Vigil state) does not give away a channel's webhook URL or SMTP password.
 */
export class SettingsSeal {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'vigil', 'console settings v1', 32));
  }

  seal(value: unknown): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  /** Throws when the text was sealed under another secret or altered: the caller decides what then. */
  open(sealed: string): unknown {
    if (!sealed.startsWith('v1.')) throw new Error('not a sealed console setting');
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8'));
  }
}
