import { describe, expect, it } from 'vitest';
import { clientAddress, DEFAULT_TRUSTED_PROXIES, InvalidCidrError, isTrusted, normalizeIp, parseCidrList } from './client-address';

const trusted = parseCidrList(DEFAULT_TRUSTED_PROXIES);

describe('clientAddress', () => {
  it('ignores forwarded headers from a peer that is not a trusted proxy (spoofing)', () => {
    expect(clientAddress({ peer: '198.51.100.7', forwardedFor: '10.9.9.9', realIp: '10.8.8.8', trusted })).toBe('198.51.100.7');
  });

  it('believes a trusted proxy and takes the rightmost untrusted hop', () => {
    expect(clientAddress({ peer: '127.0.0.1', forwardedFor: '203.0.113.9', trusted })).toBe('203.0.113.9');
    // The client put a forged hop first; the proxy appended the real one.
    expect(clientAddress({ peer: '::1', forwardedFor: '10.0.0.1, 203.0.113.9', trusted })).toBe('203.0.113.9');
    // Several trusted proxies in a row are skipped.
    const chain = parseCidrList([...DEFAULT_TRUSTED_PROXIES, '10.0.0.0/8']);
    expect(clientAddress({ peer: '127.0.0.1', forwardedFor: '203.0.113.9, 10.1.2.3', trusted: chain })).toBe('203.0.113.9');
  });

  it('falls back to X-Real-IP, then to the peer', () => {
    expect(clientAddress({ peer: '127.0.0.1', realIp: '203.0.113.5', trusted })).toBe('203.0.113.5');
    expect(clientAddress({ peer: '127.0.0.1', forwardedFor: 'garbage', trusted })).toBe('127.0.0.1');
  });

  it('unmaps IPv4-mapped IPv6 peers', () => {
    expect(normalizeIp('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(clientAddress({ peer: '::ffff:127.0.0.1', forwardedFor: '203.0.113.9', trusted })).toBe('203.0.113.9');
  });
});

describe('parseCidrList', () => {
  it('accepts addresses and ranges of both families', () => {
    const list = parseCidrList(['10.0.0.0/8', '192.0.2.1', 'fd00::/8']);
    expect(isTrusted(list, '10.200.1.1')).toBe(true);
    expect(isTrusted(list, '192.0.2.1')).toBe(true);
    expect(isTrusted(list, '192.0.2.2')).toBe(false);
    expect(isTrusted(list, 'fd12::1')).toBe(true);
    expect(isTrusted(list, 'not an ip')).toBe(false);
  });

  it('names the value it cannot read', () => {
    expect(() => parseCidrList(['10.0.0.0/33'])).toThrow(new InvalidCidrError('10.0.0.0/33'));
    expect(() => parseCidrList(['example.com'])).toThrow(/"example.com" is not an IP address or CIDR range/);
    expect(() => parseCidrList(['10.0.0.0/x'])).toThrow(InvalidCidrError);
  });
});
