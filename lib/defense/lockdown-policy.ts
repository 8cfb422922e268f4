import type { Role } from '../auth/roles';
import type { DefenseMode } from './defense-types';

/** What a refused non-admin sees, in the API's error and on the banner alike. */
export const LOCKDOWN_READ_ONLY_MESSAGE = 'LOCKDOWN is in force: configuration is frozen and only administrators can make changes until it is lifted.';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Issue 4: under LOCKDOWN operators other than admins are read-only; reads and admins are never held. */
export const lockdownMayHold = (input: { method: string; role: Role }): boolean => !SAFE_METHODS.has(input.method.toUpperCase()) && input.role !== 'admin';

/** `mode` null: the worker could not say, and it may well be locked down, so the change waits. */
export const refusedUnder = (mode: DefenseMode | null): boolean => mode === null || mode === 'LOCKDOWN';
