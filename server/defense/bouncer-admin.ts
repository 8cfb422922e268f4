import { randomUUID } from 'node:crypto';
import { roleAtLeast, type Role } from '@/lib/auth/roles';
import { normalizeScopes, SCOPE_DEFINITIONS, type Scope } from '@/lib/auth/scopes';
import type { AuditWriter } from '../audit';
import { generateApiToken } from '../auth/api-tokens';
import type { Db } from '../db/client';
import { createBouncerWithToken, deleteBouncer, findBouncer } from '../queries/bouncers';

/**
 * A bouncer reads the decision stream and nothing else. `isolations:read` is the narrowest
 * scope that covers it, and the only other endpoint it opens (GET /api/v1/isolations) lists
 * the very decisions the stream hands over, so a narrower scope would hide nothing.
 */
export const DEFAULT_BOUNCER_SCOPES: readonly Scope[] = ['isolations:read'];

export class BouncerExistsError extends Error {
  constructor(readonly bouncer: string) {
    super(`a bouncer named ${bouncer} exists already; delete it first to make a new key`);
    this.name = 'BouncerExistsError';
  }
}

/** The least role that every scope asked for needs: a bouncer's token is never wider than that. */
function leastRoleFor(scopes: readonly Scope[]): Role {
  return scopes.reduce<Role>((role, scope) => (roleAtLeast(role, SCOPE_DEFINITIONS[scope].role) ? role : SCOPE_DEFINITIONS[scope].role), 'viewer');
}

export const bouncerTokenName = (name: string) => `bouncer ${name}`;

/** Creates the bouncer and its token; the secret is returned once and only its hash is stored. */
export async function addBouncer(input: {
  db: Db;
  audit: AuditWriter | null;
  name: string;
  scopes?: readonly Scope[];
  actor: string;
}): Promise<{ secret: string; prefix: string; scopes: Scope[] }> {
  const scopes = normalizeScopes(input.scopes?.length ? input.scopes : DEFAULT_BOUNCER_SCOPES);
  if (await findBouncer(input.db, input.name)) throw new BouncerExistsError(input.name);
  const { token, prefix, tokenHash } = generateApiToken();
  const role = leastRoleFor(scopes);
  try {
    await createBouncerWithToken(input.db, {
      name: input.name,
      token: { id: randomUUID(), name: bouncerTokenName(input.name), prefix, tokenHash, role, scopes },
    });
  } catch (error) {
    // Two adds racing: the name is the primary key, so the second one fails here.
    if (await findBouncer(input.db, input.name)) throw new BouncerExistsError(input.name);
    throw error;
  }
  await input.audit?.append({
    type: 'defense.bouncer_added',
    severity: 'notice',
    actor: input.actor,
    action: `add bouncer ${input.name} (${scopes.join(', ')})`,
    module: 'defense',
    resource: `bouncer:${input.name}`,
    method: 'cli',
    details: { bouncer: input.name, prefix, role, scopes },
  });
  return { secret: token, prefix, scopes };
}

export async function removeBouncer(input: { db: Db; audit: AuditWriter | null; name: string; actor: string }): Promise<boolean> {
  const removed = await deleteBouncer(input.db, input.name, new Date());
  if (removed)
    await input.audit?.append({
      type: 'defense.bouncer_deleted',
      severity: 'notice',
      actor: input.actor,
      action: `delete bouncer ${input.name} and revoke its key`,
      module: 'defense',
      resource: `bouncer:${input.name}`,
      method: 'cli',
      details: { bouncer: input.name },
    });
  return removed;
}
