import type { Principal } from '@/lib/auth/roles';

/** How the worker's audit events name who asked: `user:alice`, `token:deploy-bot`. */
export const actorOf = (principal: Principal): string => `${principal.kind}:${principal.name}`;

/** The healing engine wants the role too: it re-checks that only admins touch modules that run commands. */
export const healingActorOf = (principal: Principal): { name: string; role: Principal['role'] } => ({ name: actorOf(principal), role: principal.role });
