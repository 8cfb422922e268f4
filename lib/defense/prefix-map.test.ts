import { describe, expect, it } from 'vitest';
import { canonicalIp, parseIpv4, parseSource } from './ip-prefix';
import { PrefixMap } from './prefix-map';

describe('parseSource', () => {
  it('canonicalises addresses and ranges, clearing host bits', () => {
    expect(parseSource('203.0.113.9')?.text).toBe('203.0.113.9');
    expect(parseSource('10.1.2.3/8')?.text).toBe('10.0.0.0/8');
    expect(parseSource('::ffff:192.0.2.1')?.text).toBe('192.0.2.1');
    expect(parseSource('2001:DB8:0:0:0:0:0:1')?.text).toBe('2001:db8::1');
    expect(parseSource('2001:db8:abcd:12::/48')?.text).toBe('2001:db8:abcd::/48');
    expect(parseSource('[::1]')?.text).toBe('::1');
  });

  it.each(['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1.2.3.4/33', '1.2.3.4/x', '1.2.3.4/8/8', 'fe80::1::2', '2001:db8::/129', 'example.com'])(
    'refuses %j',
    (value) => {
      expect(parseSource(value)).toBeNull();
    },
  );

  it('gives single addresses only as guard keys', () => {
    expect(canonicalIp('10.0.0.0/8')).toBeNull();
    expect(canonicalIp('::FFFF:10.0.0.1')).toBe('10.0.0.1');
    expect(canonicalIp('2001:0db8::0001')).toBe('2001:db8::1');
  });
});

describe('PrefixMap', () => {
  const add = (map: PrefixMap<string>, source: string) => map.set(parseSource(source)!, source);

  it('matches exact addresses and the most specific covering range', () => {
    const map = new PrefixMap<string>();
    for (const s of ['10.0.0.0/8', '10.1.0.0/16', '10.1.2.3', '2001:db8::/32', '2001:db8::7']) add(map, s);
    expect(map.match('10.1.2.3')).toBe('10.1.2.3');
    expect(map.match('10.1.9.9')).toBe('10.1.0.0/16');
    expect(map.match('10.200.0.1')).toBe('10.0.0.0/8');
    expect(map.match('11.0.0.1')).toBeUndefined();
    expect(map.match('2001:db8::7')).toBe('2001:db8::7');
    expect(map.match('2001:db8:1::1')).toBe('2001:db8::/32');
    expect(map.match('2001:db9::1')).toBeUndefined();
    expect(map.match('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(map.match('garbage')).toBeUndefined();
    expect(map.size).toBe(5);
  });

  it('finds addresses above 128.0.0.0 from text and from their parsed number alike', () => {
    const map = new PrefixMap<string>();
    for (const s of ['198.51.100.0/24', '255.255.255.255', '128.0.0.0/1']) add(map, s);
    expect(map.match('198.51.100.77')).toBe('198.51.100.0/24');
    expect(map.matchIpv4(parseIpv4('198.51.100.77')!)).toBe('198.51.100.0/24');
    expect(map.matchIpv4(parseIpv4('255.255.255.255')!)).toBe('255.255.255.255');
    expect(map.matchIpv4(parseIpv4('200.1.1.1')!)).toBe('128.0.0.0/1');
    expect(map.matchIpv4(parseIpv4('127.255.255.255')!)).toBeUndefined();
    expect(map.get(parseSource('255.255.255.255')!)).toBe('255.255.255.255');
    expect(map.delete(parseSource('198.51.100.0/24')!)).toBe(true);
    expect(map.match('198.51.100.77')).toBe('128.0.0.0/1');
    expect(map.size).toBe(2);
  });

  it('forgets deleted entries and prefix lengths no longer in use', () => {
    const map = new PrefixMap<string>();
    add(map, '192.0.2.0/24');
    add(map, '0.0.0.0/0');
    expect(map.match('8.8.8.8')).toBe('0.0.0.0/0');
    expect(map.delete(parseSource('0.0.0.0/0')!)).toBe(true);
    expect(map.match('8.8.8.8')).toBeUndefined();
    expect(map.match('192.0.2.200')).toBe('192.0.2.0/24');
    expect(map.delete(parseSource('0.0.0.0/0')!)).toBe(false);
    expect(map.size).toBe(1);
  });

  it('looks up 100,000 entries in constant time per prefix length', () => {
    const map = new PrefixMap<number>();
    for (let i = 0; i < 100_000; i++) map.set(parseSource(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`)!, i);
    for (let i = 0; i < 1000; i++) map.set(parseSource(`172.${16 + (i % 16)}.${i % 256}.0/24`)!, -i);
    const started = performance.now();
    let hits = 0;
    for (let i = 0; i < 200_000; i++) if (map.match(`10.0.${(i >> 8) & 255}.${i & 255}`) !== undefined) hits++;
    const perLookupUs = ((performance.now() - started) * 1000) / 200_000;
    expect(hits).toBe(200_000);
    expect(perLookupUs).toBeLessThan(5);
  });
});
