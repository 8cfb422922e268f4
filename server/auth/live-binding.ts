import type { Db } from '../db/client';
import { findUsableTokenIds } from '../queries/api-tokens';
import { findLiveSessionIds } from '../queries/sessions';
import type { LivePrincipal } from './live-token';

/** `session:<id>` or `token:<id>`: what must still be in force for a live socket to stay open. */
export type LiveBinding = `session:${string}` | `token:${string}`;

/** A person's socket needs the session it was minted in; a socket without one is never accepted. */
export function liveBindingOf(principal: LivePrincipal): LiveBinding | null {
  if (principal.kind === 'token') return `token:${principal.id}`;
  return principal.sessionId ? `session:${principal.sessionId}` : null;
}

/** The bindings among these that are still in force: two queries, whatever the number of sockets. */
export async function liveBindingsInForce(db: Db, bindings: readonly LiveBinding[], now = new Date()): Promise<Set<LiveBinding>> {
  const sessions: string[] = [];
  const tokens: string[] = [];
  for (const binding of bindings) {
    if (binding.startsWith('session:')) sessions.push(binding.slice('session:'.length));
    else tokens.push(binding.slice('token:'.length));
  }
  const [liveSessions, usableTokens] = await Promise.all([
    sessions.length > 0 ? findLiveSessionIds(db, sessions, now) : [],
    tokens.length > 0 ? findUsableTokenIds(db, tokens) : [],
  ]);
  return new Set<LiveBinding>([...liveSessions.map((id) => `session:${id}` as const), ...usableTokens.map((id) => `token:${id}` as const)]);
}
