import { z } from 'zod';

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export interface Principal {
  id: string;
  name: string;
  role: Role;
  kind: 'user' | 'token';
}

function atLeast(principal: Principal | null, role: Role): boolean {
  return principal !== null && ROLES.indexOf(principal.role) >= ROLES.indexOf(role);
}

/** Reading dashboards and history. */
export const canView = (p: Principal | null) => atLeast(p, 'viewer');
/** Acting on the system: pin degradation, restart, isolate, snapshot. */
export const canOperate = (p: Principal | null) => atLeast(p, 'operator');
/** Users, tokens, settings, golden restore, lockdown. */
export const canAdminister = (p: Principal | null) => atLeast(p, 'admin');
