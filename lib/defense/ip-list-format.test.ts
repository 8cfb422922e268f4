import { describe, expect, it } from 'vitest';
import { intervalsToCidrs } from './ip-intervals';
import { IpListParser, parseIpList } from './ip-list-format';

describe('IP list format', () => {
  it('reads plain addresses, v4 and v6 CIDRs, FireHOL comments, Spamhaus comments and blank lines', () => {
    const list = parseIpList(
      ['#', '# firehol_level1', '', '192.0.2.7', '198.51.100.0/25 ; SBL1', '198.51.100.128/25', '2001:db8::/48  # why', '\r', '203.0.113.9\r'].join('\n'),
    );
    expect(list.entries).toBe(5);
    expect(intervalsToCidrs(list)).toEqual(['192.0.2.7', '198.51.100.0/24', '203.0.113.9', '2001:db8::/48']);
  });

  it('reads a list split anywhere across chunks', () => {
    const parser = new IpListParser();
    for (const chunk of ['10.0', '.0.1\n10.0.0', '.2\n', '2001:db8', '::1']) parser.push(chunk);
    expect(intervalsToCidrs(parser.end())).toEqual(['10.0.0.1', '10.0.0.2', '2001:db8::1']);
  });

  it('refuses a malformed line, naming it and its number', () => {
    expect(() => parseIpList('10.0.0.1\n# fine\n10.0.0.300\n')).toThrow('line 3: "10.0.0.300" is not an IP address or CIDR range');
    expect(() => parseIpList('10.0.0.1 evil.example\n')).toThrow('line 1');
  });

  it('recognises an HTML page served instead of a list', () => {
    expect(() => parseIpList('\n<!doctype html><html><body>Not found</body></html>')).toThrow('HTML page');
  });

  it('refuses a list past its limits on entries, bytes or line length', () => {
    const limits = { maxBytes: 1000, maxEntries: 3, maxLineLength: 40 };
    expect(() => new IpListParser(limits).push('10.0.0.1\n10.0.0.2\n10.0.0.3\n10.0.0.4\n')).toThrow('more than 3 entries');
    expect(() => new IpListParser(limits).push('#'.repeat(1001))).toThrow('larger than');
    expect(() => new IpListParser(limits).push(`# ${'x'.repeat(50)}`)).toThrow('line 1 is longer than 40');
    expect(() => new IpListParser(limits).push(`# ${'x'.repeat(50)}\n`)).toThrow('line 1 is longer than 40');
  });
});
