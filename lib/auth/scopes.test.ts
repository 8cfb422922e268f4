import { describe, expect, it } from 'vitest';
import { canAdminister, canOperate, canView, ROLES, type Principal } from './roles';
import {
  createApiTokenSchema,
  decodeScopes,
  encodeScopes,
  SCOPE_DEFINITIONS,
  SCOPE_GROUPS,
  scopeAllows,
  SCOPES,
  scopesWithin,
  tokenScopesSchema,
} from './scopes';

describe('scope vocabulary', () => {
  it('names every scope resource:action, with a known role, group and grant', () => {
    for (const scope of SCOPES) {
      expect(scope).toMatch(/^[a-z]+:(read|write)$/);
      expect(ROLES).toContain(SCOPE_DEFINITIONS[scope].role);
      expect(SCOPE_DEFINITIONS[scope].grants).toMatch(/\/api\/v1\//);
    }
    expect(Object.keys(SCOPE_DEFINITIONS).sort()).toEqual([...SCOPES].sort());
  });

  it('groups every scope exactly once, keeping the order of SCOPES', () => {
    expect(SCOPE_GROUPS.flatMap((g) => g.scopes)).toEqual([...SCOPES]);
    expect(SCOPE_GROUPS.find((g) => g.group === 'Defense')?.scopes).toEqual(['threats:read', 'isolations:read', 'isolations:write']);
  });

  it('offers a role only the scopes it can use', () => {
    expect(scopesWithin('viewer')).toEqual(SCOPES.filter((s) => s.endsWith(':read')));
    // Enrolling and revoking hosts is an admin's.
    expect(scopesWithin('operator')).toEqual(SCOPES.filter((s) => s !== 'fleet:write'));
    expect(scopesWithin('admin')).toEqual([...SCOPES]);
  });
});

describe('createApiTokenSchema', () => {
  it('defaults to no scopes, that is the full access of the role', () => {
    expect(createApiTokenSchema.parse({ name: ' ci ', role: 'operator' })).toEqual({ name: 'ci', role: 'operator', scopes: [] });
  });

  it('stores each scope once, in a canonical order', () => {
    const parsed = createApiTokenSchema.parse({ name: 'bouncer', role: 'operator', scopes: ['isolations:write', 'events:write', 'isolations:write'] });
    expect(parsed.scopes).toEqual(['events:write', 'isolations:write']);
  });

  it('names an unknown scope and where it is', () => {
    const result = createApiTokenSchema.safeParse({ name: 'x', role: 'admin', scopes: ['events:write', 'events:delete'] });
    expect(result.success).toBe(false);
    expect(result.error!.issues).toEqual([expect.objectContaining({ path: ['scopes', 1], message: expect.stringContaining('unknown scope "events:delete"') })]);
  });

  it('refuses a scope the role could never use', () => {
    const result = createApiTokenSchema.safeParse({ name: 'x', role: 'viewer', scopes: ['isolations:write', 'threats:read'] });
    expect(result.success).toBe(false);
    expect(result.error!.issues).toEqual([
      expect.objectContaining({ path: ['scopes', 0], message: 'isolations:write needs at least the operator role, and this token is viewer' }),
    ]);
  });

  it('refuses something that is not a list of strings', () => {
    expect(tokenScopesSchema.safeParse('events:write').success).toBe(false);
    expect(tokenScopesSchema.safeParse([1]).success).toBe(false);
    expect(tokenScopesSchema.safeParse([...SCOPES, 'health:read']).success).toBe(false);
    expect(tokenScopesSchema.parse(['audit:read'])).toEqual(['audit:read']);
  });
});

describe('stored scopes', () => {
  it('round-trips through the stored text', () => {
    expect(encodeScopes([])).toBe('[]');
    expect(decodeScopes(encodeScopes(['forecast:read', 'audit:read']))).toEqual(['audit:read', 'forecast:read']);
  });

  it.each(['', 'not json', '{}', '["events:write","root"]', 'null', '"events:write"'])('reads %j as unreadable, never as full access', (stored) => {
    expect(decodeScopes(stored)).toBeNull();
  });
});

describe('scopeAllows', () => {
  const token = (scopes?: Principal['scopes']): Principal => ({ id: 't', name: 't', role: 'admin', kind: 'token', scopes });

  it('lets an unscoped principal through on every scope', () => {
    for (const scope of SCOPES) {
      expect(scopeAllows(token(), scope)).toBe(true);
      expect(scopeAllows(token([]), scope)).toBe(true);
    }
  });

  it('lets a scoped principal through on its scopes only', () => {
    const p = token(['events:write']);
    expect(scopeAllows(p, 'events:write')).toBe(true);
    expect(SCOPES.filter((s) => scopeAllows(p, s))).toEqual(['events:write']);
  });

  it('keeps scoped tokens out of the operator API, whatever their role', () => {
    const scoped = token(['audit:read']);
    expect([canView(scoped), canOperate(scoped), canAdminister(scoped)]).toEqual([false, false, false]);
    expect([canView(token([])), canAdminister(token())]).toEqual([true, true]);
  });
});
