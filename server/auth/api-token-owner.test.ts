import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Role } from '@/lib/auth/roles';
import { api, createMigratedDatabase, PROVIDERS, startTestWorker, waitFor, type MigratedDatabase, type TestWorker } from '../test-support';
import { createApiToken, listApiTokens } from '../queries/api-tokens';
import { createUser } from '../queries/users';
import { ApiTokenAuthenticator, generateApiToken } from './api-tokens';
import { changeUser } from './user-admin';

async function ownedToken(db: MigratedDatabase['database']['prisma'], ownerId: string | null, role: Role): Promise<{ id: string; bearer: string }> {
  const generated = generateApiToken();
  const id = randomUUID();
  await createApiToken(db, {
    id,
    name: `token of ${ownerId ?? 'nobody'}`,
    prefix: generated.prefix,
    tokenHash: generated.tokenHash,
    role,
    createdById: ownerId,
  });
  return { id, bearer: `Bearer ${generated.token}` };
}

async function user(db: MigratedDatabase['database']['prisma'], role: Role): Promise<string> {
  const id = randomUUID();
  await createUser(db, { id, username: `u-${id.slice(0, 8)}`, passwordHash: 'x', role });
  return id;
}

// A token acts for the person who made it: never beyond that person's current role, and not at all once the account is disabled.
describe.each(PROVIDERS)("API tokens and their owner's account (%s)", (provider) => {
  let db: MigratedDatabase;
  let auth: ApiTokenAuthenticator;
  let admins: string[];

  beforeEach(async () => {
    db = await createMigratedDatabase(provider);
    // A minute of cache: whatever the owner's change, it must not wait for the entry to expire.
    auth = new ApiTokenAuthenticator(db.database, 60_000, 100);
    // changeUser never leaves the console without an admin: keep a spare one.
    admins = [await user(db.database.prisma, 'admin'), await user(db.database.prisma, 'admin')];
  });
  afterEach(async () => {
    await auth.close();
    await db.destroy();
  });
  /** A lookup with no cache behind it, as a process that never saw the token would make. */
  const freshLookup = async (bearer: string) => {
    const fresh = new ApiTokenAuthenticator(db.database);
    try {
      return await fresh.authenticate(bearer);
    } finally {
      await fresh.close();
    }
  };

  it('caps a token at its owner role, and a demotion takes effect through the cache', async () => {
    const operator = await user(db.database.prisma, 'operator');
    const token = await ownedToken(db.database.prisma, operator, 'admin');
    expect(await auth.authenticate(token.bearer)).toMatchObject({ role: 'operator', kind: 'token', ownerId: operator });

    const admin = admins[0];
    const adminToken = await ownedToken(db.database.prisma, admin, 'admin');
    expect(await auth.authenticate(adminToken.bearer)).toMatchObject({ role: 'admin' });
    await changeUser(db.database.prisma, admin, { role: 'viewer' });
    await waitFor(async () => (await auth.authenticate(adminToken.bearer))?.role === 'viewer', { what: 'the cached token to drop to viewer' });
  });

  it('revokes the tokens of a disabled account, at once for the database and through the cache', async () => {
    const admin = admins[0];
    const token = await ownedToken(db.database.prisma, admin, 'operator');
    const other = await ownedToken(db.database.prisma, admins[1], 'operator');
    expect(await auth.authenticate(token.bearer)).not.toBeNull();
    await changeUser(db.database.prisma, admin, { disabled: true });
    expect((await listApiTokens(db.database.prisma)).find((row) => row.id === token.id)?.revokedAt).toEqual(expect.any(Date));
    expect(await freshLookup(token.bearer)).toBeNull();
    await waitFor(async () => (await auth.authenticate(token.bearer)) === null, { what: 'the cached token to be refused' });
    // Enabled again, the account does not bring its tokens back; others' tokens never noticed.
    await changeUser(db.database.prisma, admin, { disabled: false });
    expect(await freshLookup(token.bearer)).toBeNull();
    expect(await auth.authenticate(other.bearer)).toMatchObject({ role: 'operator' });
  });

  it('refuses a token whose owner was disabled without going through changeUser', async () => {
    const admin = admins[0];
    const token = await ownedToken(db.database.prisma, admin, 'admin');
    await db.database.prisma.user.update({ where: { id: admin }, data: { disabled: true } });
    expect(await auth.authenticate(token.bearer)).toBeNull();
  });

  it('leaves tokens without an owner (VIGIL_API_TOKEN, automation) their own role', async () => {
    const token = await ownedToken(db.database.prisma, null, 'admin');
    expect(await auth.authenticate(token.bearer)).toMatchObject({ role: 'admin', kind: 'token' });
    expect(await auth.authenticate(token.bearer)).not.toHaveProperty('ownerId');
  });
});

// The worker's own authenticator, on a real worker: a disabled owner's token stops working there too.
describe.each(PROVIDERS)("the worker's token cache (%s)", (provider) => {
  let t: TestWorker;
  beforeAll(async () => {
    t = await startTestWorker({ provider });
  });
  afterAll(async () => {
    await t?.destroy();
  });

  it('refuses a disabled owner token and caps a demoted owner token on the machine API', async () => {
    const prisma = t.worker.database.prisma;
    // A third admin stays, so that changeUser lets both others go.
    const [alice, bob] = [await user(prisma, 'admin'), await user(prisma, 'admin'), await user(prisma, 'admin')];
    const aliceToken = await ownedToken(prisma, alice, 'admin');
    const bobToken = await ownedToken(prisma, bob, 'operator');
    const call = (bearer: string, path: string) => api(t.port, path, { headers: { authorization: bearer } });
    expect((await call(aliceToken.bearer, '/api/v1/audit')).status).toBe(200);
    expect((await call(bobToken.bearer, '/api/v1/isolations')).status).toBe(200);

    await changeUser(prisma, alice, { disabled: true });
    await changeUser(prisma, bob, { role: 'viewer' });
    await waitFor(async () => (await call(aliceToken.bearer, '/api/v1/audit')).status === 401, { what: 'the disabled owner token to be refused' });
    const isolate = () =>
      api(t.port, '/api/v1/isolations', { headers: { authorization: bobToken.bearer }, json: { source: '203.0.113.9', reason: 'demoted' } });
    await waitFor(async () => (await isolate()).status === 403, { what: 'the demoted owner token to lose operator rights' });
    expect((await call(bobToken.bearer, '/api/v1/isolations')).status).toBe(200);
  });
});
