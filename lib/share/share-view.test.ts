import { describe, expect, it } from 'vitest';
import { createShareLinkSchema, redactAddress, redactAddressesInText } from './share-view';

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
    expect(createShareLinkSchema.parse({ title: 'x', view: { path: '/' } })).toEqual({ title: 'x', view: { path: '/', query: {} }, expiresInHours: 24, redactSources: false });
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
