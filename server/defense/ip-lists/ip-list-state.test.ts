import { parseIpv4 } from '@/lib/defense/ip-prefix';
import { describe, expect, it } from 'vitest';
import { parseIpList } from '@/lib/defense/ip-list-format';
import { carveExclusions } from './ip-list-exclusions';
import { IpListState } from './ip-list-state';

const HOUR = 3_600_000;

describe('IpListState', () => {
  it('stops enforcing and streaming a list once it expires, without a timer', () => {
    const state = new IpListState();
    const now = Date.now();
    state.replace('short', parseIpList('198.51.100.0/24'), now + HOUR);
    state.replace('long', parseIpList('203.0.113.0/24\n2001:db8::/32'), now + 3 * HOUR);
    expect(state.match('198.51.100.9', now)).toBe(true);
    expect(state.match('::ffff:203.0.113.9', now)).toBe(true);
    expect(state.match('2001:db8::1', now)).toBe(true);
    expect(state.match('2001:db9::1', now)).toBe(false);
    expect(state.match('not an address', now)).toBe(false);
    expect(state.match('198.51.100.9', now + 2 * HOUR)).toBe(false);
    expect(state.match('203.0.113.9', now + 2 * HOUR)).toBe(true);
    // The guard's path for an address it has already parsed agrees, expiry included.
    expect(state.matchIpv4(parseIpv4('203.0.113.9')!, now + 2 * HOUR)).toBe(true);
    expect(state.matchIpv4(parseIpv4('198.51.100.9')!, now + 2 * HOUR)).toBe(false);
    expect(state.matchIpv4(parseIpv4('192.0.2.1')!, now)).toBe(false);
    const later = state.poll('bouncer', true, now + 2 * HOUR);
    expect(later.new.map((d) => d.value)).toEqual(['203.0.113.0/24', '2001:db8::/32']);
    expect(later.new[0].duration).toBe('1h0m0s');
  });

  it('tells bouncers that a withdrawn list is gone, and sends a bouncer that fell behind everything again', () => {
    const state = new IpListState();
    const now = Date.now();
    state.replace('a', parseIpList('198.51.100.7'), now + HOUR);
    expect(state.poll('b1', false, now).new).toHaveLength(1);
    state.poll('b2', false, now);
    state.remove('a');
    state.remove('never-there');
    expect(state.names()).toEqual([]);
    expect(state.poll('b1', false, now)).toMatchObject({ new: [], deleted: [{ value: '198.51.100.7', origin: 'blocklist:a' }] });
    for (let i = 0; i < 70; i++) state.replace('c', parseIpList(`203.0.113.${i}`), now + HOUR);
    expect(state.poll('b2', false, now)).toMatchObject({ new: [{ value: '203.0.113.69' }], deleted: [] });
    expect(state.match('198.51.100.7', now)).toBe(false);
  });
});

describe('IpListState refreshes', () => {
  it('keeps the id of an unchanged block, and replaces one that widened or narrowed', () => {
    const state = new IpListState();
    const now = Date.now();
    state.replace('l', parseIpList('10.0.0.0/24\n10.0.2.0/24\n2001:db8::/48\n2001:db8:4::/48'), now + HOUR);
    const first = state.poll('b', true, now).new;
    const change = state.replace('l', parseIpList('10.0.0.0/23\n10.0.2.0/24\n2001:db8::/47\n2001:db8:5::1'), now + HOUR);
    expect(change).toEqual({ ranges: 4, added: 3, removed: 3 });
    const delta = state.poll('b', false, now);
    expect(delta.deleted.map((d) => d.value)).toEqual(['10.0.0.0/24', '2001:db8::/48', '2001:db8:4::/48']);
    expect(delta.new.map((d) => d.value)).toEqual(['10.0.0.0/23', '10.0.2.0/24', '2001:db8::/47', '2001:db8:5::1']);
    expect(delta.new[1].id).toBe(first[1].id);
    expect(delta.new[3]).toMatchObject({ scope: 'Ip' });
    // Dropped and back again before the bouncer polled: only the latest state reaches it.
    state.replace('l', parseIpList('10.0.2.0/24'), now + HOUR);
    state.replace('l', parseIpList('10.0.0.0/23\n10.0.2.0/24'), now + HOUR);
    expect(state.poll('b', false, now).deleted.map((d) => d.value)).toEqual(['2001:db8::/47', '2001:db8:5::1']);
  });
});

describe('carveExclusions', () => {
  it('cuts the allowlist, loopback and trusted proxies out of a list and counts the entries they touched', () => {
    const list = parseIpList('10.0.0.0/8\n127.0.0.1\n::1\n::ffff:127.0.0.1\n203.0.113.0/24\n2001:db8::/32');
    const { intervals, excluded } = carveExclusions(list, ['10.1.0.0/16', '2001:db8::1', 'bogus']);
    expect(excluded).toBe(4);
    const state = new IpListState();
    state.replace('x', intervals, Date.now() + HOUR);
    const now = Date.now();
    expect(state.match('10.1.2.3', now)).toBe(false);
    expect(state.match('10.2.0.1', now)).toBe(true);
    expect(state.match('127.0.0.1', now)).toBe(false);
    expect(state.match('::1', now)).toBe(false);
    expect(state.match('2001:db8::1', now)).toBe(false);
    expect(state.match('2001:db8::2', now)).toBe(true);
  });
});
