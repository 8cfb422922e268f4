// What api-tokens.test.ts leaves out: a running authenticator across provisioning,
// re-provisioning and revocation of the VIGIL_API_TOKEN token, and headers it must refuse.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMigratedDatabase, manualClock, type ManualClock, type MigratedDatabase } from '../test-support';
import { seedUser } from '../test-support/users';
import type { Db } from '../db/client';
import { createApiToken, revokeApiToken } from '../queries/api-tokens';
import { ApiTokenAuthenticator, generateApiToken, provisionEnvToken } from './api-tokens';

// The clock is the test's, so the lifetime only has to be what the worker uses.
const TTL_MS = 5000;
const FIRST = 'first-env-token-0123456789abcdef';
const SECOND = 'second-env-token-0123456789abcdef';

describe('API token authenticator over time', () => {
  let db: MigratedDatabase;
  let prisma: Db;
  let auth: ApiTokenAuthenticator;
  let clock: ManualClock;

  beforeEach(async () => {
    db = await createMigratedDatabase('sqlite');
    prisma = db.database.prisma;
    clock = manualClock();
    // The owner recheck stays out of the way (an hour): these tests are about the cache lifetime.
    auth = new ApiTokenAuthenticator(db.database, TTL_MS, 3_600_000, clock.now);
  });

  afterEach(async () => {
    await auth.close();
    await db.destroy();
  });

  it('honours a re-provisioned VIGIL_API_TOKEN once the cache entry of the old one expires', async () => {
    await provisionEnvToken(prisma, FIRST);
    expect(await auth.authenticate(`Bearer ${FIRST}`)).toEqual({ id: 'env-provisioned', name: 'VIGIL_API_TOKEN', role: 'admin', kind: 'token' });
    expect(await prisma.apiToken.findUnique({ where: { id: 'env-provisioned' }, select: { prefix: true } })).toEqual({ prefix: FIRST.slice(0, 4) });

    await provisionEnvToken(prisma, SECOND);
    expect(await prisma.apiToken.count()).toBe(1);
    expect(await auth.authenticate(`Bearer ${SECOND}`)).toMatchObject({ role: 'admin' });
    expect(await auth.authenticate(`Bearer ${FIRST}`)).not.toBeNull(); // still cached
    clock.advance(TTL_MS);
    expect(await auth.authenticate(`Bearer ${FIRST}`)).toBeNull();
    expect(await auth.authenticate(`Bearer ${SECOND}`)).toMatchObject({ role: 'admin' });
  });

  it('remembers an unknown token as unknown for the cache lifetime only', async () => {
    const t = generateApiToken();
    expect(await auth.authenticate(`Bearer ${t.token}`)).toBeNull();
    await createApiToken(prisma, { id: 'late', name: 'late', prefix: t.prefix, tokenHash: t.tokenHash, role: 'viewer', createdById: null });
    expect(await auth.authenticate(`Bearer ${t.token}`)).toBeNull(); // negative result cached
    clock.advance(TTL_MS - 1);
    expect(await auth.authenticate(`Bearer ${t.token}`)).toBeNull();
    clock.advance(1);
    expect(await auth.authenticate(`Bearer ${t.token}`)).toMatchObject({ id: 'late', role: 'viewer' });
  });

  it('refuses a token revoked before its first use at once', async () => {
    const t = generateApiToken();
    await createApiToken(prisma, { id: 'gone', name: 'gone', prefix: t.prefix, tokenHash: t.tokenHash, role: 'admin', createdById: null });
    await revokeApiToken(prisma, 'gone');
    expect(await auth.authenticate(`Bearer ${t.token}`)).toBeNull();
  });

  it.each([
    ['an empty header', ''],
    ['the scheme alone', 'Bearer'],
    ['the scheme and a space', 'Bearer '],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['a token before the scheme', 'vgl_x Bearer'],
  ])('refuses %s', async (_what, header) => {
    expect(await auth.authenticate(header)).toBeNull();
  });

  it('writes lastUsedAt for used tokens only, and keeps the creator', async () => {
    const creator = await seedUser(prisma, { username: 'root', role: 'admin' });
    const used = generateApiToken();
    const idle = generateApiToken();
    await createApiToken(prisma, { id: 'used', name: 'used', prefix: used.prefix, tokenHash: used.tokenHash, role: 'operator', createdById: creator.id });
    await createApiToken(prisma, { id: 'idle', name: 'idle', prefix: idle.prefix, tokenHash: idle.tokenHash, role: 'operator', createdById: creator.id });
    await auth.authenticate(`Bearer ${used.token}`);
    await auth.flushLastUsed();
    const rows = await prisma.apiToken.findMany({ orderBy: { id: 'asc' }, select: { id: true, lastUsedAt: true, createdById: true } });
    expect(rows).toEqual([
      { id: 'idle', lastUsedAt: null, createdById: creator.id },
      { id: 'used', lastUsedAt: expect.any(Date), createdById: creator.id },
    ]);
  });

  it('keeps a revoked VIGIL_API_TOKEN revoked across restarts until the variable changes', async () => {
    await provisionEnvToken(prisma, FIRST);
    expect(await revokeApiToken(prisma, 'env-provisioned')).toBe(true);
    await provisionEnvToken(prisma, FIRST);
    expect(await new ApiTokenAuthenticator(db.database, TTL_MS).authenticate(`Bearer ${FIRST}`)).toBeNull();
    await provisionEnvToken(prisma, SECOND);
    expect(await new ApiTokenAuthenticator(db.database, TTL_MS).authenticate(`Bearer ${SECOND}`)).toMatchObject({ role: 'admin', kind: 'token' });
  });
});
