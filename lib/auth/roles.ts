import { z } from 'zod';
import type { Scope } from './scopes';

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export interface Principal {
  id: string;
  name: string;
  role: Role;
  kind: 'user' | 'token';
  /** Set only on API tokens limited to these machine-API scopes (lib/auth/scopes.ts). */
  scopes?: readonly Scope[];
  /** On an API token: the account it acts for, which caps its role; absent for VIGIL_API_TOKEN. */
  ownerId?: string;
}

export function roleAtLeast(role: Role, least: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(least);
}

/** The lesser of two roles: what a token may do when its own role and its owner's differ. */
export function lesserRole(a: Role, b: Role): Role {
  return roleAtLeast(a, b) ? b : a;
}

// The operator API knows roles, not scopes: a scoped token is refused there, never treated as its whole role.
function atLeast(principal: Principal | null, role: Role): boolean {
  return principal !== null && !principal.scopes?.length && roleAtLeast(principal.role, role);
}

/** Reading dashboards and history. */
export const canView = (p: Principal | null) => atLeast(p, 'viewer');
/** Acting on the system: pin degradation, restart, isolate, snapshot. */
export const canOperate = (p: Principal | null) => atLeast(p, 'operator');
/** Users, tokens, settings, golden restore, lockdown. */
export const canAdminister = (p: Principal | null) => atLeast(p, 'admin');
