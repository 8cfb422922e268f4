import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMigratedDatabase, type MigratedDatabase } from '../test-support';
import { seedUser } from '../test-support/users';
import type { Db } from '../db/client';
import { deleteExpiredSessions } from '../queries/sessions';
import { updateUser } from '../queries/users';
import { sha256Hex } from './keys';
import { createSession, DEFAULT_SESSION_POLICY, endSession, resolveSession, type SessionPolicy } from './session-store';

const MINUTE = 60_000;
const POLICY: SessionPolicy = { absoluteMs: 24 * 60 * MINUTE, idleMs: 10 * MINUTE };

describe('session store', () => {
  let db: MigratedDatabase;
  let prisma: Db;
  let userId: string;

  beforeEach(async () => {
    db = await createMigratedDatabase('sqlite');
    prisma = db.database.prisma;
    userId = (await seedUser(prisma, { username: 'alice', role: 'operator' })).id;
  });

  afterEach(async () => {
    await db.destroy();
  });

  const storedRow = (secret: string) => prisma.session.findUnique({ where: { id: sha256Hex(secret) } });
  const after = (row: { lastSeenAt: Date }, ms: number) => new Date(row.lastSeenAt.getTime() + ms);

  it('resolves a new session to its user and CSRF token', async () => {
    const created = await createSession(prisma, { userId, ip: '10.0.0.7', userAgent: 'test-agent' }, POLICY);
    expect(created.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(created.csrfToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(created.expiresAt.getTime() - Date.now()).toBeGreaterThan(POLICY.absoluteMs - 5000);
    expect(created.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(POLICY.absoluteMs);

    expect(await resolveSession(prisma, created.secret, POLICY)).toEqual({
      principal: { id: userId, name: 'alice', role: 'operator', kind: 'user' },
      csrfToken: created.csrfToken,
      expiresAt: created.expiresAt,
    });
  });

  it('stores only the SHA-256 of the secret, plus where the session came from', async () => {
    const created = await createSession(prisma, { userId, ip: '10.0.0.7', userAgent: 'x'.repeat(1000) });
    const rows = await prisma.session.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0].id).not.toBe(created.secret);
    expect(rows[0].id).toBe(sha256Hex(created.secret));
    expect(JSON.stringify(rows[0])).not.toContain(created.secret);
    expect(rows[0]).toMatchObject({ userId, csrfToken: created.csrfToken, ip: '10.0.0.7', expiresAt: created.expiresAt });
    expect(rows[0].userAgent).toBe('x'.repeat(300));
  });

  it('defaults to a 7-day session that idles out after 12 hours', async () => {
    expect(DEFAULT_SESSION_POLICY).toEqual({ absoluteMs: 7 * 86_400_000, idleMs: 12 * 3_600_000 });
    const kept = await createSession(prisma, { userId, ip: null, userAgent: null });
    const dropped = await createSession(prisma, { userId, ip: null, userAgent: null });
    expect(Math.round((kept.expiresAt.getTime() - Date.now()) / 3_600_000)).toBe(7 * 24);
    const keptRow = (await storedRow(kept.secret))!;
    expect(keptRow).toMatchObject({ ip: null, userAgent: null });
    expect(await resolveSession(prisma, kept.secret, undefined, after(keptRow, 12 * 3_600_000))).not.toBeNull();
    expect(await resolveSession(prisma, dropped.secret, undefined, after((await storedRow(dropped.secret))!, 12 * 3_600_000 + 1))).toBeNull();
  });

  it('returns null for a secret it never issued', async () => {
    await createSession(prisma, { userId, ip: null, userAgent: null }, POLICY);
    expect(await resolveSession(prisma, 'never-issued-secret', POLICY)).toBeNull();
    expect(await prisma.session.count()).toBe(1);
  });

  it('ends and deletes a session past its absolute lifetime, however recently it was used', async () => {
    const policy = { absoluteMs: 5 * MINUTE, idleMs: 60 * MINUTE };
    const created = await createSession(prisma, { userId, ip: null, userAgent: null }, policy);
    expect(await resolveSession(prisma, created.secret, policy, new Date(created.expiresAt.getTime() - 1))).not.toBeNull();
    expect(await storedRow(created.secret)).not.toBeNull();
    expect(await resolveSession(prisma, created.secret, policy, created.expiresAt)).toBeNull();
    expect(await storedRow(created.secret)).toBeNull();
  });

  it('ends and deletes a session left idle longer than the idle limit', async () => {
    const created = await createSession(prisma, { userId, ip: null, userAgent: null }, POLICY);
    const row = (await storedRow(created.secret))!;
    expect(await resolveSession(prisma, created.secret, POLICY, after(row, POLICY.idleMs + 1))).toBeNull();
    expect(await storedRow(created.secret)).toBeNull();
    // Gone for good, even "back in time".
    expect(await resolveSession(prisma, created.secret, POLICY, after(row, 0))).toBeNull();
  });

  it('refuses and deletes the session of a disabled user', async () => {
    const created = await createSession(prisma, { userId, ip: null, userAgent: null }, POLICY);
    await updateUser(prisma, userId, { disabled: true });
    expect(await resolveSession(prisma, created.secret, POLICY)).toBeNull();
    expect(await storedRow(created.secret)).toBeNull();
  });

  it('refuses a user whose stored role is not a known role', async () => {
    const created = await createSession(prisma, { userId, ip: null, userAgent: null }, POLICY);
    await prisma.user.update({ where: { id: userId }, data: { role: 'superuser' } });
    expect(await resolveSession(prisma, created.secret, POLICY)).toBeNull();
  });

  it('reports the role the user has now, not the one at sign-in', async () => {
    const created = await createSession(prisma, { userId, ip: null, userAgent: null }, POLICY);
    await updateUser(prisma, userId, { role: 'viewer' });
    expect((await resolveSession(prisma, created.secret, POLICY))?.principal.role).toBe('viewer');
  });

  it('ends a session on request, and only that one', async () => {
    const first = await createSession(prisma, { userId, ip: null, userAgent: null }, POLICY);
    const second = await createSession(prisma, { userId, ip: null, userAgent: null }, POLICY);
    await endSession(prisma, first.secret);
    expect(await resolveSession(prisma, first.secret, POLICY)).toBeNull();
    expect(await resolveSession(prisma, second.secret, POLICY)).not.toBeNull();
    await expect(endSession(prisma, first.secret)).resolves.toBeUndefined();
  });

  it('can sweep sessions past their absolute lifetime in one query', async () => {
    const short = await createSession(prisma, { userId, ip: null, userAgent: null }, { absoluteMs: MINUTE, idleMs: MINUTE });
    const long = await createSession(prisma, { userId, ip: null, userAgent: null }, POLICY);
    expect(await deleteExpiredSessions(prisma, short.expiresAt)).toBe(0); // expiresAt < now, strictly
    expect(await deleteExpiredSessions(prisma, new Date(short.expiresAt.getTime() + 1))).toBe(1);
    expect(await storedRow(short.secret)).toBeNull();
    expect(await storedRow(long.secret)).not.toBeNull();
  });

  it('writes lastSeenAt at most once a minute, and idleness counts from that write', async () => {
    const created = await createSession(prisma, { userId, ip: null, userAgent: null }, POLICY);
    const row = (await storedRow(created.secret))!;
    const started = row.lastSeenAt;

    expect(await resolveSession(prisma, created.secret, POLICY, after(row, 30_000))).not.toBeNull();
    expect((await storedRow(created.secret))!.lastSeenAt).toEqual(started);
    expect(await resolveSession(prisma, created.secret, POLICY, after(row, MINUTE))).not.toBeNull();
    expect((await storedRow(created.secret))!.lastSeenAt).toEqual(started);

    const touchedAt = after(row, 8 * MINUTE);
    expect(await resolveSession(prisma, created.secret, POLICY, touchedAt)).not.toBeNull();
    expect((await storedRow(created.secret))!.lastSeenAt).toEqual(touchedAt);

    // 16 minutes after creation but 8 after the last use: still inside the 10-minute idle limit.
    const later = new Date(touchedAt.getTime() + 8 * MINUTE);
    expect(await resolveSession(prisma, created.secret, POLICY, later)).not.toBeNull();
    expect((await storedRow(created.secret))!.lastSeenAt).toEqual(later);
  });
});
