import { describe, expect, it } from 'vitest';
import { createShareLinkSchema, redactAddress } from './share-view';

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
