import type { Principal } from '@/lib/auth/roles';

/**
 * Who may call a web API handler, kept on the handler itself so it can be read back: a
 * route file's exports are its handlers and nothing else (Next.js allows no other names).
 */
export type RouteAccess = { kind: 'public' } | { kind: 'authorized'; authorize: (principal: Principal | null) => boolean };

export type DeclaredHandler<F> = F & { readonly access: RouteAccess };

export function withAccess<F extends (...args: never[]) => unknown>(handler: F, access: RouteAccess): DeclaredHandler<F> {
  return Object.assign(handler, { access });
}

/** The rule a handler was declared with; undefined for one made without apiRoute or publicRoute. */
export function accessOf(handler: unknown): RouteAccess | undefined {
  return typeof handler === 'function' && 'access' in handler ? (handler as { access: RouteAccess }).access : undefined;
}
