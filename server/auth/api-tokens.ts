import { randomBytes } from 'node:crypto';
import { roleSchema, type Principal } from '@/lib/auth/roles';
import { HttpError } from '@/lib/http-error';
import { decodeScopes } from '@/lib/auth/scopes';
import type { Db } from '../db/client';
import { findActiveTokenByHash, touchTokens, upsertProvisionedToken } from '../queries/api-tokens';
import { sha256Hex } from './keys';

export const TOKEN_PREFIX = 'vgl_';

export function generateApiToken(): { token: string; prefix: string; tokenHash: string } {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { token, prefix: token.slice(0, 12), tokenHash: sha256Hex(token) };
}

/**
 * VIGIL_API_TOKEN becomes (or replaces) one admin token, for automation. A token an
 * administrator revoked stays revoked across restarts until the variable changes.
 */
export async function provisionEnvToken(db: Db, token: string): Promise<void> {
  await upsertProvisionedToken(db, { id: 'env-provisioned', name: 'VIGIL_API_TOKEN', prefix: token.slice(0, 12), tokenHash: sha256Hex(token), role: 'admin' });
}

/** An unknown role or an unreadable scope list refuses the token: it is never guessed wider. */
function tokenPrincipal(row: { id: string; name: string; role: string; scopes: string }): Principal | null {
  const role = roleSchema.safeParse(row.role);
  const scopes = decodeScopes(row.scopes);
  if (!role.success || scopes === null) return null;
  return { id: row.id, name: row.name, role: role.data, kind: 'token', ...(scopes.length > 0 ? { scopes } : {}) };
}

interface CacheEntry {
  principal: Principal | null;
  until: number;
}

/**
 * Resolves bearer tokens on the machine API, with their scopes. Lookups are cached for a
 * few seconds so a busy client does not cost a query per request; revocation takes effect
 * within that time. Last-used times are written in batches for the same reason.
 */
export class ApiTokenAuthenticator {
  private cache = new Map<string, CacheEntry>();
  private used = new Set<string>();
  private flushTimer: NodeJS.Timeout;

  constructor(private readonly db: Db, private readonly ttlMs = 5000) {
    this.flushTimer = setInterval(() => void this.flushLastUsed(), 10_000);
    this.flushTimer.unref();
  }

  async authenticate(authorization: string | undefined): Promise<Principal | null> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) return null;
    const tokenHash = sha256Hex(match[1]);
    const now = Date.now();
    const cached = this.cache.get(tokenHash);
    let principal: Principal | null;
    if (cached && cached.until > now) {
      principal = cached.principal;
    } else {
      const row = await findActiveTokenByHash(this.db, tokenHash).catch(() => {
        // The client did nothing wrong and may retry: an outage, not a server fault (500) nor a refusal (401).
        throw new HttpError(503, 'database_unavailable', 'the database cannot be reached to check the API token; retry later', { 'retry-after': '5' });
      });
      principal = row ? tokenPrincipal(row) : null;
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(tokenHash, { principal, until: now + this.ttlMs });
    }
    if (principal) this.used.add(principal.id);
    return principal;
  }

  async flushLastUsed(): Promise<void> {
    const ids = [...this.used];
    this.used.clear();
    await touchTokens(this.db, ids, new Date()).catch(() => undefined);
  }

  async close(): Promise<void> {
    clearInterval(this.flushTimer);
    await this.flushLastUsed();
  }
}
