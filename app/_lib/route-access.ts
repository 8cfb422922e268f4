import type { ZodType } from 'zod';
import type { Principal } from '@/lib/auth/roles';

/**
 * Who may call a web API handler, kept on the handler itself so it can be read back: a
 * route file's exports are its handlers and nothing else (Next.js allows no other names).
 */
export type RouteAccess = { kind: 'public' } | { kind: 'authorized'; authorize: (principal: Principal | null) => boolean };

/** What the handler parses before it acts, for tools that describe or attack the API. */
export interface RouteSchemas {
  body?: ZodType<unknown>;
  query?: ZodType<unknown>;
}

export type DeclaredHandler<F> = F & { readonly access: RouteAccess; readonly schemas: RouteSchemas };

export function withAccess<F extends (...args: never[]) => unknown>(handler: F, access: RouteAccess, schemas: RouteSchemas = {}): DeclaredHandler<F> {
  return Object.assign(handler, { access, schemas });
}

/** The rule a handler was declared with; undefined for one made without apiRoute or publicRoute. */
export function accessOf(handler: unknown): RouteAccess | undefined {
  return typeof handler === 'function' && 'access' in handler ? (handler as { access: RouteAccess }).access : undefined;
}

export function schemasOf(handler: unknown): RouteSchemas {
  return typeof handler === 'function' && 'schemas' in handler ? (handler as { schemas: RouteSchemas }).schemas : {};
}
