import { randomBytes } from 'node:crypto';
import { lesserRole, roleSchema, type Principal } from '@/lib/auth/roles';
import { databaseUnavailable } from '../db/db-error';
import { decodeScopes } from '@/lib/auth/scopes';
import type { Database, Db } from '../db/client';
import { clientOf } from '../db/store';
import { findActiveTokensByHashes, storedTokenHash, touchTokens, upsertProvisionedToken, type ActiveTokenRow } from '../queries/api-tokens';
import { sha256Hex } from './keys';

export const TOKEN_PREFIX = 'vgl_';

/** Characters of the secret part the stored prefix keeps: 24 of 256 bits, enough to tell tokens apart. */
const VISIBLE_SECRET_CHARS = 4;

/** The part of a token that may be stored and shown: its type prefix (when it has ours) and 4 characters. */
export function publicPrefixOf(token: string): string {
  const typed = token.startsWith(TOKEN_PREFIX) ? TOKEN_PREFIX : '';
  return token.slice(0, typed.length + VISIBLE_SECRET_CHARS);
}

export function generateApiToken(): { token: string; prefix: string; tokenHash: string } {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { token, prefix: publicPrefixOf(token), tokenHash: sha256Hex(token) };
}

/**
 * VIGIL_API_TOKEN becomes (or replaces) one admin token, for automation. A token an
 * administrator revoked stays revoked across restarts until the variable changes. It has no
 * owner: whoever controls the environment controls it, so no account's role caps it.
 */
export async function provisionEnvToken(store: Database | Db, token: string): Promise<void> {
  const id = 'env-provisioned';
  const tokenHash = sha256Hex(token);
  // The same variable as at the last start (the usual restart) is read on the driver's
  // connection on SQLite: Prisma loads only to store a new or changed token.
  if ((await storedTokenHash(store, id)) === tokenHash) return;
  await upsertProvisionedToken(clientOf(store), {
    id,
    name: 'VIGIL_API_TOKEN',
    prefix: publicPrefixOf(token),
    tokenHash,
    role: 'admin',
  });
}

/**
 * A token acts for its owner: never beyond the owner's current role, and not at all for a
 * disabled owner. An unknown role or an unreadable scope list refuses it: it is never guessed wider.
 */
function tokenPrincipal(row: ActiveTokenRow): Principal | null {
  const role = roleSchema.safeParse(row.role);
  const scopes = decodeScopes(row.scopes);
  if (!role.success || scopes === null) return null;
  const principal: Principal = { id: row.id, name: row.name, role: role.data, kind: 'token', ...(scopes.length > 0 ? { scopes } : {}) };
  if (!row.createdBy) return principal;
  const ownerRole = roleSchema.safeParse(row.createdBy.role);
  if (row.createdBy.disabled || !ownerRole.success) return null;
  return { ...principal, role: lesserRole(principal.role, ownerRole.data), ownerId: row.createdBy.id };
}

/** Answers kept at most: keyed by the token's SHA-256, never the token itself. */
const MAX_CACHED_TOKENS = 10_000;

interface CacheEntry {
  principal: Principal | null;
  /** When the database last said what the token is: the answer holds for the cache's lifetime. */
  checkedAt: number;
  /** When a request last presented it: a token no one used for that long leaves the cache. */
  usedAt: number;
}

/**
 * Resolves bearer tokens on the machine API, with their scopes. Answers are cached so a busy
 * client does not cost a query per request. Last-used times are written in batches for the
 * same reason.
 *
 * Revocation, and what an owner's account change does to a token (disabled, demoted), must
 * not wait for the cache: they are made by the web app, the CLI or another replica as often as
 * by this process, so every `recheckMs` the tokens in use are read again in one query, and one
 * refused now is refused from the cache at once. That read also keeps them fresh: a token in
 * steady use (a bouncer pulling every second) is never looked up on its own again. Only when
 * the database cannot be read does an answer age out, `ttlMs` after its last successful read.
 */
export class ApiTokenAuthenticator {
  private cache = new Map<string, CacheEntry>();
  private used = new Set<string>();
  private flushTimer: NodeJS.Timeout;
  private recheckTimer: NodeJS.Timeout;
  private rechecking = false;

  constructor(
    private readonly database: Database,
    private readonly ttlMs = 5000,
    recheckMs = 1000,
    private readonly now: () => number = Date.now,
  ) {
    this.flushTimer = setInterval(() => void this.flushLastUsed(), 10_000);
    this.flushTimer.unref();
    this.recheckTimer = setInterval(() => void this.recheckCached(), recheckMs);
    this.recheckTimer.unref();
  }

  /** Reads the tokens in use again; one that is refused now is refused from the cache too. */
  async recheckCached(): Promise<void> {
    if (this.rechecking) return;
    this.rechecking = true;
    try {
      const now = this.now();
      const hashes: string[] = [];
      for (const [hash, entry] of this.cache) {
        if (entry.usedAt + this.ttlMs <= now || entry.checkedAt + this.ttlMs <= now) this.cache.delete(hash);
        else if (entry.principal) hashes.push(hash);
      }
      if (hashes.length === 0) return;
      const rows = new Map((await findActiveTokensByHashes(this.database, hashes)).map((row) => [row.tokenHash, row]));
      for (const hash of hashes) {
        const entry = this.cache.get(hash);
        const row = rows.get(hash);
        if (!entry) continue;
        entry.principal = row ? tokenPrincipal(row) : null;
        entry.checkedAt = now;
      }
    } catch {
      // The database is away: entries age out on their own, and the next tick tries again.
    } finally {
      this.rechecking = false;
    }
  }

  async authenticate(authorization: string | undefined): Promise<Principal | null> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) return null;
    const tokenHash = sha256Hex(match[1]);
    const cached = this.cachedPrincipal(tokenHash);
    if (cached !== undefined) return cached;
    const [row] = await findActiveTokensByHashes(this.database, [tokenHash]).catch(() => {
      throw databaseUnavailable('the database cannot be reached to check the API token');
    });
    const principal = row ? tokenPrincipal(row) : null;
    if (this.cache.size > MAX_CACHED_TOKENS) this.cache.clear();
    const now = this.now();
    this.cache.set(tokenHash, { principal, checkedAt: now, usedAt: now });
    if (principal) this.used.add(principal.id);
    return principal;
  }

  /**
   * The answer the cache holds for a token already hashed (SHA-256), without waiting: null when
   * it is refused, undefined when the cache has no fresh answer and `authenticate` must read it.
   * A caller that needs the hash for something else (the bouncer registry) hashes the token once.
   */
  cachedPrincipal(tokenHash: string): Principal | null | undefined {
    const cached = this.cache.get(tokenHash);
    if (cached === undefined) return undefined;
    const now = this.now();
    if (cached.checkedAt + this.ttlMs <= now) return undefined;
    cached.usedAt = now;
    if (cached.principal) this.used.add(cached.principal.id);
    return cached.principal;
  }

  async flushLastUsed(): Promise<void> {
    const ids = [...this.used];
    // Nothing was used since the last flush: no query, and on an idle worker no database client either.
    if (ids.length === 0) return;
    this.used.clear();
    await touchTokens(this.database.prisma, ids, new Date()).catch(() => undefined);
  }

  async close(): Promise<void> {
    clearInterval(this.flushTimer);
    clearInterval(this.recheckTimer);
    await this.flushLastUsed();
  }
}
