import { describe, expect, it } from 'vitest';
import { ROLES, canAdminister, canOperate, canView, roleSchema, type Principal, type Role } from './roles';

function principal(role: Role, kind: Principal['kind'] = 'user'): Principal {
  return { id: `${kind}-${role}`, name: `${role} ${kind}`, role, kind };
}

describe('role checks', () => {
  it.each<[Role, boolean, boolean, boolean]>([
    ['viewer', true, false, false],
    ['operator', true, true, false],
    ['admin', true, true, true],
  ])('%s: view=%s operate=%s administer=%s', (role, view, operate, administer) => {
    for (const kind of ['user', 'token'] as const) {
      const p = principal(role, kind);
      expect(canView(p)).toBe(view);
      expect(canOperate(p)).toBe(operate);
      expect(canAdminister(p)).toBe(administer);
    }
  });

  it('denies everything to no principal', () => {
    expect(canView(null)).toBe(false);
    expect(canOperate(null)).toBe(false);
    expect(canAdminister(null)).toBe(false);
  });

  it('denies everything to a role it does not know (e.g. from a stale session)', () => {
    const stale = { id: 'u1', name: 'ghost', role: 'superuser', kind: 'user' } as unknown as Principal;
    expect(canView(stale)).toBe(false);
    expect(canOperate(stale)).toBe(false);
    expect(canAdminister(stale)).toBe(false);
  });

  it('is ordered: each permission implies the weaker ones', () => {
    for (const role of ROLES) {
      const p = principal(role);
      if (canAdminister(p)) expect(canOperate(p)).toBe(true);
      if (canOperate(p)) expect(canView(p)).toBe(true);
    }
  });
});

describe('roleSchema', () => {
  it('accepts exactly viewer, operator and admin', () => {
    expect(ROLES).toEqual(['viewer', 'operator', 'admin']);
    for (const role of ROLES) expect(roleSchema.parse(role)).toBe(role);
    for (const bad of ['Admin', 'root', '', 'superuser']) expect(roleSchema.safeParse(bad).success).toBe(false);
  });
});
