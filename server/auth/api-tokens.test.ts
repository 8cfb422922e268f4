import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMigratedDatabase, manualClock, waitFor, type MigratedDatabase } from '../test-support';
import { createApiToken, listApiTokens, revokeApiToken } from '../queries/api-tokens';
import { ApiTokenAuthenticator, generateApiToken, provisionEnvToken, TOKEN_PREFIX } from './api-tokens';
import { sha256Hex } from './keys';

describe('API tokens', () => {
  let db: MigratedDatabase;
  const authenticators: ApiTokenAuthenticator[] = [];

  function authenticator(ttlMs?: number, now?: () => number): ApiTokenAuthenticator {
    // With a test clock the owner recheck stays out of the way (an hour): the test is about the lifetime.
    const a = new ApiTokenAuthenticator(db.database, ttlMs, now ? 3_600_000 : undefined, now);
    authenticators.push(a);
    return a;
  }

  beforeEach(async () => {
    db = await createMigratedDatabase('sqlite');
  });

  afterEach(async () => {
    await Promise.all(authenticators.splice(0).map((a) => a.close()));
    await db.destroy();
  });

  it('generates long random tokens and stores only their hash', () => {
    const a = generateApiToken();
    const b = generateApiToken();
    expect(a.token.startsWith(TOKEN_PREFIX)).toBe(true);
    expect(a.token.length).toBeGreaterThanOrEqual(TOKEN_PREFIX.length + 43);
    // Only the type and 4 characters are kept in the clear: enough to tell tokens apart.
    expect(a.prefix).toBe(a.token.slice(0, TOKEN_PREFIX.length + 4));
    expect(a.tokenHash).toBe(sha256Hex(a.token));
    expect(a.token).not.toBe(b.token);
  });

  it('provisions VIGIL_API_TOKEN as one admin token, replacing the previous value', async () => {
    await provisionEnvToken(db.database.prisma, 'first-automation-token-0123456789');
    await provisionEnvToken(db.database.prisma, 'second-automation-token-0123456789');
    const rows = await db.database.prisma.apiToken.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: 'env-provisioned',
      name: 'VIGIL_API_TOKEN',
      role: 'admin',
      tokenHash: sha256Hex('second-automation-token-0123456789'),
      revokedAt: null,
    });
    const auth = authenticator();
    expect(await auth.authenticate('Bearer first-automation-token-0123456789')).toBeNull();
    expect(await auth.authenticate('Bearer second-automation-token-0123456789')).toEqual({
      id: 'env-provisioned',
      name: 'VIGIL_API_TOKEN',
      role: 'admin',
      kind: 'token',
    });
  });

  it('reads the bearer scheme case-insensitively and nothing else', async () => {
    const t = generateApiToken();
    await createApiToken(db.database.prisma, { id: 't1', name: 'ci', prefix: t.prefix, tokenHash: t.tokenHash, role: 'operator', createdById: null });
    const auth = authenticator();
    expect(await auth.authenticate(`bearer ${t.token}`)).toMatchObject({ id: 't1', role: 'operator' });
    expect(await auth.authenticate(undefined)).toBeNull();
    expect(await auth.authenticate(t.token)).toBeNull();
    expect(await auth.authenticate(`Bearer ${t.token} extra`)).toBeNull();
  });

  it('sees a revocation once its cache entry expires, not before', async () => {
    const t = generateApiToken();
    await createApiToken(db.database.prisma, { id: 't2', name: 'script', prefix: t.prefix, tokenHash: t.tokenHash, role: 'viewer', createdById: null });
    const clock = manualClock();
    const auth = authenticator(150, clock.now);
    expect(await auth.authenticate(`Bearer ${t.token}`)).not.toBeNull();
    expect(await revokeApiToken(db.database.prisma, 't2')).toBe(true);
    expect(await revokeApiToken(db.database.prisma, 't2')).toBe(false);
    expect(await auth.authenticate(`Bearer ${t.token}`)).not.toBeNull(); // cached
    clock.advance(149);
    expect(await auth.authenticate(`Bearer ${t.token}`)).not.toBeNull(); // still cached, a millisecond short of its lifetime
    clock.advance(1);
    expect(await auth.authenticate(`Bearer ${t.token}`)).toBeNull();
  });

  it('keeps a token in steady use through its rechecks, cuts it off at the first recheck after revocation, and lets an idle one go', async () => {
    const t = generateApiToken();
    await createApiToken(db.database.prisma, { id: 't5', name: 'bouncer', prefix: t.prefix, tokenHash: t.tokenHash, role: 'viewer', createdById: null });
    const idle = generateApiToken();
    await createApiToken(db.database.prisma, { id: 't6', name: 'idle', prefix: idle.prefix, tokenHash: idle.tokenHash, role: 'viewer', createdById: null });
    const clock = manualClock();
    const auth = authenticator(5000, clock.now);
    const use = () => auth.authenticate(`Bearer ${t.token}`);
    expect(await use()).not.toBeNull();
    expect(await auth.authenticate(`Bearer ${idle.token}`)).not.toBeNull();
    for (let second = 1; second <= 12; second++) {
      clock.advance(1000);
      await auth.recheckCached();
      expect(await use()).not.toBeNull();
    }
    // Twelve seconds on, still answered from the cache: revoked in the database behind its back,
    // the token passes until the next recheck and not after it.
    expect(await revokeApiToken(db.database.prisma, 't5')).toBe(true);
    expect(await use()).not.toBeNull();
    await auth.recheckCached();
    expect(await use()).toBeNull();
    // The idle token left the cache when its lifetime ran out: revoked now, it is refused on first use.
    expect(await revokeApiToken(db.database.prisma, 't6')).toBe(true);
    expect(await auth.authenticate(`Bearer ${idle.token}`)).toBeNull();
  });

  it('refuses a token revoked by another process within a recheck, though requests keep presenting it', async () => {
    const t = generateApiToken();
    await createApiToken(db.database.prisma, { id: 't7', name: 'puller', prefix: t.prefix, tokenHash: t.tokenHash, role: 'viewer', createdById: null });
    // An hour of cache: only the recheck can notice.
    const auth = new ApiTokenAuthenticator(db.database, 3_600_000, 100);
    authenticators.push(auth);
    expect(await auth.authenticate(`Bearer ${t.token}`)).not.toBeNull();
    const other = await db.openAnother();
    const revokedAt = performance.now();
    expect(await revokeApiToken(other.prisma, 't7')).toBe(true);
    await waitFor(async () => (await auth.authenticate(`Bearer ${t.token}`)) === null, { what: 'the revoked token refused', intervalMs: 10 });
    expect(performance.now() - revokedAt).toBeLessThan(1000);
  });

  it('refuses a token whose stored role is not a known role', async () => {
    const t = generateApiToken();
    await db.database.prisma.apiToken.create({ data: { id: 't3', name: 'odd', prefix: t.prefix, tokenHash: t.tokenHash, role: 'superuser' } });
    expect(await authenticator().authenticate(`Bearer ${t.token}`)).toBeNull();
  });

  it('records last use in a batch on flush and on close', async () => {
    const t = generateApiToken();
    await createApiToken(db.database.prisma, { id: 't4', name: 'pusher', prefix: t.prefix, tokenHash: t.tokenHash, role: 'operator', createdById: null });
    const auth = authenticator();
    const before = new Date();
    await auth.authenticate(`Bearer ${t.token}`);
    expect((await db.database.prisma.apiToken.findUnique({ where: { id: 't4' } }))!.lastUsedAt).toBeNull();
    await auth.flushLastUsed();
    const used = (await db.database.prisma.apiToken.findUnique({ where: { id: 't4' } }))!.lastUsedAt!;
    expect(used.getTime()).toBeGreaterThanOrEqual(before.getTime() - 5);
    await auth.flushLastUsed(); // nothing new: no write, no error

    const listed = await listApiTokens(db.database.prisma);
    expect(listed).toEqual([
      expect.objectContaining({ id: 't4', name: 'pusher', prefix: t.prefix, role: 'operator', lastUsedAt: used, revokedAt: null, createdBy: null }),
    ]);
    expect(listed[0]).not.toHaveProperty('tokenHash');
  });
});
