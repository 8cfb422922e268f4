import { describe, expect, it } from 'vitest';
import { parseHostScope, withHostScope } from './host-scope';

describe('the host scope in the URL', () => {
  it('reads a host id and treats anything else as all hosts', () => {
    expect(parseHostScope('3')).toBe(3);
    for (const value of [null, undefined, '', '0', '-1', '1.5', '03', 'all', '99999999999', '<x>']) expect(parseHostScope(value)).toBeNull();
  });

  it('carries the scope on links, keeping their own parameters', () => {
    expect(withHostScope('/healing', 3)).toBe('/healing?host=3');
    expect(withHostScope('/audit?severity=critical', 2)).toBe('/audit?severity=critical&host=2');
    expect(withHostScope('/audit?host=5', 2)).toBe('/audit?host=2');
    expect(withHostScope('/recovery', null)).toBe('/recovery');
  });
});
