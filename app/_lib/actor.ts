import type { Principal } from '@/lib/auth/roles';
import { actorOf } from '@/lib/auth/actor';

/** The healing engine wants the role too: it re-checks that only admins touch modules that run commands. */
export const healingActorOf = (principal: Principal): { name: string; role: Principal['role'] } => ({ name: actorOf(principal), role: principal.role });
