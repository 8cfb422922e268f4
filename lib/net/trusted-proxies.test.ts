import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIpv4 } from '@/lib/defense/ip-prefix';
import { DEFAULT_TRUSTED_PROXIES, InvalidCidrError, isTrusted, parseCidrList } from './client-address';
import { TrustedProxies } from './trusted-proxies';

/** Lists that exercise every way an IPv4 address can be trusted, IPv6 rules over the mapped block included. */
const LISTS = [
  DEFAULT_TRUSTED_PROXIES,
  ['127.0.0.1'],
  ['10.0.0.0/8', '192.168.1.7', '172.16.0.0/12'],
  ['0.0.0.0/0'],
  ['::/0'],
  ['::ffff:0:0/96'],
  ['::ffff:a00:0/104', '2001:db8::/32'],
  ['::ffff:192.168.1.7'],
  ['[::1]/128', '::/1'],
  [],
];

const ipv4 = fc.tuple(fc.constantFrom(10, 127, 172, 192, 198, 255, 0), fc.nat(255), fc.nat(255), fc.nat(255)).map((octets) => octets.join('.'));

describe('TrustedProxies', () => {
  it.each(LISTS.map((list) => [list.join(', ') || '(none)', list]))('answers as Node’s BlockList does for IPv4 addresses: %s', (_, list) => {
    const trusted = new TrustedProxies(list);
    const reference = parseCidrList(list);
    fc.assert(
      fc.property(ipv4, (address) => {
        const expected = reference.check(address, 'ipv4');
        expect(trusted.includesIpv4(parseIpv4(address)!)).toBe(expected);
        expect(trusted.includes(address)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('asks the BlockList for IPv6 and IPv4-mapped addresses', () => {
    const trusted = new TrustedProxies(['2001:db8::/32', '10.0.0.0/8']);
    expect(trusted.includes('2001:db8::5')).toBe(true);
    expect(trusted.includes('2001:db9::5')).toBe(false);
    expect(trusted.includes('::ffff:10.1.2.3')).toBe(true);
    expect(trusted.includes('garbage')).toBe(false);
    expect(trusted.includes('2001:db8::5')).toBe(isTrusted(trusted.list, '2001:db8::5'));
  });

  it('still answers from the BlockList for a range written in a form only it reads', () => {
    const trusted = new TrustedProxies(['10.0.0.0/0008']);
    expect(trusted.includesIpv4(parseIpv4('10.200.0.1')!)).toBe(true);
    expect(trusted.includesIpv4(parseIpv4('11.0.0.1')!)).toBe(false);
  });

  it('refuses what is not an address or range, naming it', () => {
    expect(() => new TrustedProxies(['10.0.0.0/8', 'proxy.example'])).toThrow(InvalidCidrError);
  });
});
