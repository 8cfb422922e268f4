import type { Principal } from './roles';

/**
 * How audit events name who acted: `user:alice` for a signed-in person, `token:deploy-bot`
 * for an API token. Built here only, so a token can never be recorded as a person of the same name.
 */
export const actorOf = (principal: Pick<Principal, 'kind' | 'name'>): string => `${principal.kind}:${principal.name}`;
