import { describe, expect, it } from 'vitest';
import { sourceSyntaxProblem } from './source-syntax';

describe('source syntax check for the isolate form', () => {
  it('accepts addresses and ranges of both families', () => {
    for (const ok of ['203.0.113.9', '10.0.0.0/8', '::1', '2001:db8::/32', '::ffff:192.0.2.1']) expect(sourceSyntaxProblem(ok)).toBeNull();
  });

  it('names what is wrong', () => {
    expect(sourceSyntaxProblem('')).toMatch(/enter/);
    expect(sourceSyntaxProblem('300.1.2.3')).toBe('300.1.2.3 is not an IP address');
    expect(sourceSyntaxProblem('10.0.0.0/33')).toBe('/33 is not a prefix length (0-32)');
    expect(sourceSyntaxProblem('1::2::3')).toBe('1::2::3 is not an IP address');
    expect(sourceSyntaxProblem('10.0.0.1/8/8')).toMatch(/not an IP address or CIDR/);
    expect(sourceSyntaxProblem('<script>')).toMatch(/not an IP address/);
  });
});
