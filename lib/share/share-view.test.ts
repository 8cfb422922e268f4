import { describe, expect, it } from 'vitest';
import { createShareLinkSchema, redactAddress, redactAddressesInText, redactAuditEvent } from './share-view';

describe('redactAddress', () => {
  it('keeps enough of an address to tell sources apart, not to find them', () => {
    expect(redactAddress('203.0.113.9')).toBe('203.0.113.x');
    expect(redactAddress('2001:db8::1')).toBe('2001:db8:…');
    expect(redactAddress('user:alice')).toBe('redacted');
    expect(redactAddress(null)).toBeNull();
  });
});

describe('createShareLinkSchema', () => {
  it('accepts the shareable views and bounds the lifetime', () => {
    expect(createShareLinkSchema.parse({ title: 'x', view: { path: '/' } })).toEqual({
      title: 'x',
      view: { path: '/', query: {} },
      expiresInHours: 24,
      redactSources: false,
    });
    expect(createShareLinkSchema.safeParse({ title: 'x', view: { path: '/admin' } }).success).toBe(false);
    expect(createShareLinkSchema.safeParse({ title: 'x', view: { path: '/' }, expiresInHours: 24 * 31 }).success).toBe(false);
    expect(createShareLinkSchema.safeParse({ title: ' ', view: { path: '/' } }).success).toBe(false);
  });
});

describe('redactAddressesInText', () => {
  it('hides the host part of every IPv4 address in free text', () => {
    expect(redactAddressesInText('blocked 203.0.113.9 after 10.0.0.12 and 198.51.100.7')).toBe('blocked 203.0.113.x after 10.0.0.x and 198.51.100.x');
    expect(redactAddressesInText('{"source":"192.0.2.44","port":443}')).toBe('{"source":"192.0.2.x","port":443}');
    expect(redactAddressesInText('version 1.2.3 stays')).toBe('version 1.2.3 stays');
  });
});

describe('redactAuditEvent', () => {
  it('redacts the source and every address in the free-text fields, and nothing else', () => {
    const event = {
      seq: 4,
      eventId: 'e',
      at: '2026-01-01T00:00:00.000Z',
      type: 'isolation.added',
      severity: 'high' as const,
      actor: 'guard 10.1.2.3',
      action: 'isolate 203.0.113.9',
      module: 'defense',
      resource: 'source:203.0.113.9',
      reason: 'seen from 198.51.100.7',
      method: 'auto',
      source: '203.0.113.9',
      details: { peers: ['192.0.2.1'], count: 3 },
      prevHash: 'p',
      hash: 'h',
    };
    expect(redactAuditEvent(event)).toEqual({
      ...event,
      actor: 'guard 10.1.2.x',
      action: 'isolate 203.0.113.x',
      resource: 'source:203.0.113.x',
      reason: 'seen from 198.51.100.x',
      source: '203.0.113.x',
      details: { peers: ['192.0.2.x'], count: 3 },
    });
    expect(redactAuditEvent({ ...event, reason: null, resource: null, source: null })).toMatchObject({ reason: null, resource: null, source: null });
  });
});
