import { describe, expect, it } from 'vitest';
import { lockdownMayHold, refusedUnder } from './lockdown-policy';

describe('lockdown freeze policy', () => {
  it('holds only changes by non-admins', () => {
    expect(lockdownMayHold({ method: 'POST', role: 'operator' })).toBe(true);
    expect(lockdownMayHold({ method: 'delete', role: 'viewer' })).toBe(true);
    expect(lockdownMayHold({ method: 'GET', role: 'operator' })).toBe(false);
    expect(lockdownMayHold({ method: 'POST', role: 'admin' })).toBe(false);
  });

  it('refuses under LOCKDOWN and when the mode is unknown, not otherwise', () => {
    expect(refusedUnder('LOCKDOWN')).toBe(true);
    expect(refusedUnder(null)).toBe(true);
    expect(refusedUnder('ELEVATED')).toBe(false);
    expect(refusedUnder('NORMAL')).toBe(false);
  });
});
