import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMigratedDatabase, type MigratedDatabase } from '../test-support';
import type { Db } from '../db/client';
import { sha256Hex } from '../auth/keys';
import { listShareLinks, revokeShareLink } from '../queries/share-links';
import { createShareLink, InvalidShareLinkError, resolveShareLink } from './share-links';

const SECRET = 's'.repeat(43);
const VIEW = { path: '/' as const, query: { range: '24h' } };

async function refused(promise: Promise<unknown>): Promise<void> {
  await expect(promise).rejects.toBeInstanceOf(InvalidShareLinkError);
  await expect(promise).rejects.toThrow('this link is not valid (it may have expired or been revoked)');
}

describe('share links', () => {
  let db: MigratedDatabase;
  let prisma: Db;

  beforeEach(async () => {
    db = await createMigratedDatabase('sqlite');
    prisma = db.database.prisma;
  });

  afterEach(async () => {
    await db.destroy();
  });

  it('resolves to the frozen view, counts each use and stores only the token hash', async () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const { id, token, expiresAt } = await createShareLink(
      prisma,
      SECRET,
      { title: 'incident 42', view: VIEW, expiresInHours: 2, redactSources: true, createdBy: 'user:olga' },
      now,
    );
    expect(token.startsWith(`${id}.`)).toBe(true);
    expect(expiresAt.toISOString()).toBe('2026-01-01T02:00:00.000Z');
    const row = await prisma.shareLink.findUniqueOrThrow({ where: { id } });
    expect(row.tokenHash).toBe(sha256Hex(token));
    expect(JSON.stringify(row)).not.toContain(token);

    const link = await resolveShareLink(prisma, SECRET, token, new Date('2026-01-01T01:00:00Z'));
    expect(link).toMatchObject({ id, title: 'incident 42', view: VIEW, redactSources: true, createdBy: 'user:olga' });
    await resolveShareLink(prisma, SECRET, token, new Date('2026-01-01T01:30:00Z'));
    expect((await listShareLinks(prisma))[0]).toMatchObject({ id, uses: 2, lastUsedAt: new Date('2026-01-01T01:30:00Z') });
  });

  it('refuses forged, altered, expired, revoked and foreign tokens alike', async () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const { id, token } = await createShareLink(
      prisma,
      SECRET,
      { title: 't', view: VIEW, expiresInHours: 1, redactSources: false, createdBy: 'user:olga' },
      now,
    );
    const during = new Date('2026-01-01T00:30:00Z');
    await refused(resolveShareLink(prisma, SECRET, `${id}.${'A'.repeat(43)}`, during));
    await refused(resolveShareLink(prisma, SECRET, `x${token}`, during));
    await refused(resolveShareLink(prisma, SECRET, 'no-dot-at-all', during));
    await refused(resolveShareLink(prisma, SECRET, `${'a'.repeat(300)}.b`, during));
    await refused(resolveShareLink(prisma, 'another secret entirely, 32+ chars', token, during));
    await refused(resolveShareLink(prisma, SECRET, token, new Date('2026-01-01T01:00:00Z')));
    expect(await revokeShareLink(prisma, id, during)).toBe(true);
    expect(await revokeShareLink(prisma, id, during)).toBe(false);
    await refused(resolveShareLink(prisma, SECRET, token, during));
  });
});
