import { describe, expect, it } from 'vitest';
import { diffSection } from './section-diff';
import { maskSecrets, restoreSecrets, SECRET_MASK } from './secret-mask';

const stored = {
  channels: [
    { name: 'ops', kind: 'webhook', url: 'https://hooks.example/T0KEN', secret: 's'.repeat(20), headers: { authorization: 'Bearer abc' } },
    { name: 'mail', kind: 'email', host: 'smtp.example', auth: { user: 'u', password: 'pw-123' } },
    { name: 'push', kind: 'ntfy', url: 'https://ntfy.sh', topic: 'alerts' },
  ],
};

describe('channel secrets', () => {
  it('masks every secret and keeps where a URL goes', () => {
    const masked = maskSecrets('notifications', stored);
    const text = JSON.stringify(masked);
    for (const secret of ['T0KEN', 's'.repeat(20), 'Bearer abc', 'pw-123']) expect(text).not.toContain(secret);
    expect(masked.channels[0].url).toBe(`https://hooks.example/${SECRET_MASK}`);
    // Not a secret: an ntfy server is named in the open, its credentials by environment variable.
    expect(masked.channels[2].url).toBe('https://ntfy.sh');
    expect(stored.channels[0].url).toBe('https://hooks.example/T0KEN');
  });

  it('puts stored secrets back where the mask came back, and refuses a mask with nothing behind it', () => {
    const masked = maskSecrets('notifications', stored);
    expect(restoreSecrets('notifications', masked, stored)).toEqual({ value: stored, problems: [] });
    const renamed = { channels: [{ ...masked.channels[0], name: 'other' }] };
    expect(restoreSecrets('notifications', renamed, stored).problems.map((p) => p.field)).toEqual([
      'notifications.channels.0.url',
      'notifications.channels.0.secret',
      'notifications.channels.0.headers.authorization',
    ]);
  });

  it('lists changed fields for the audit trail without writing a secret', () => {
    const next = { channels: [{ ...stored.channels[0], url: 'https://hooks.example/NEW', retries: 1 }, stored.channels[1]] };
    const changes = diffSection('notifications', stored, next);
    const text = JSON.stringify(changes);
    expect(text).not.toContain('T0KEN');
    expect(text).not.toContain('NEW');
    expect(text).not.toContain('Bearer abc');
    expect(changes).toContainEqual({ field: 'notifications.channels.0.url', before: 'secret', after: 'secret (replaced)' });
    expect(changes).toContainEqual({ field: 'notifications.channels.0.retries', after: 1 });
    expect(changes).toContainEqual({ field: 'notifications.channels.2.topic', before: 'alerts' });
  });
});
