import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCursorSchema, auditSearchQuerySchema } from '@/lib/audit/filters';
import { createShareLink, InvalidShareLinkError, resolveShareLink } from '../share/share-links';
import { createMigratedDatabase, PROVIDERS, TEST_SECRET, type MigratedDatabase } from '../test-support';
import { hostileQuery, hostileString } from '../test-support/hostile-input';

describe('the audit cursor and filters, parsed from anything', () => {
  it('parses a cursor to a positive int4 or refuses it, and never throws', () => {
    const cursorText = fc.oneof(hostileString(), fc.integer().map(String), fc.double().map(String), fc.bigInt().map(String));
    fc.assert(
      fc.property(cursorText, (text) => {
        const parsed = auditCursorSchema.safeParse(text);
        return !parsed.success || (Number.isInteger(parsed.data) && parsed.data >= 1 && parsed.data <= 2_147_483_647);
      }),
      { numRuns: 2_000 },
    );
  });

  it('parses any query string into filters or refuses it, and never throws', () => {
    fc.assert(
      fc.property(hostileQuery(), (query) => typeof auditSearchQuerySchema.safeParse(Object.fromEntries(new URLSearchParams(query))).success === 'boolean'),
      { numRuns: 300 },
    );
  });
});

describe.each(PROVIDERS)('share tokens, resolved from anything (%s)', (provider) => {
  let db: MigratedDatabase;
  let real: { id: string; token: string };

  beforeAll(async () => {
    db = await createMigratedDatabase(provider);
    real = await createShareLink(db.database.prisma, TEST_SECRET, {
      title: 'shared',
      view: { path: '/audit', query: {} },
      expiresInHours: 1,
      redactSources: false,
      createdBy: 'admin',
    });
  });

  afterAll(async () => {
    await db?.destroy();
  });

  it('refuses every token but the real one as an invalid link, never with another error', async () => {
    const [id, signature] = real.token.split('.');
    const forged = fc.oneof(
      hostileString(),
      hostileString().map((garbage) => `${id}.${garbage}`),
      hostileString().map((garbage) => `${garbage}.${signature}`),
      fc.nat({ max: real.token.length }).map((at) => `${real.token.slice(0, at)}\u0000${real.token.slice(at)}`),
      fc.nat({ max: real.token.length - 1 }).map((at) => `${real.token.slice(0, at)}${real.token[at] === 'A' ? 'B' : 'A'}${real.token.slice(at + 1)}`),
    );
    const failures: string[] = [];
    await fc
      .assert(
        fc.asyncProperty(forged, async (token) => {
          fc.pre(token !== real.token);
          const error = await resolveShareLink(db.database.prisma, TEST_SECRET, token, new Date(), { countUse: false }).then(
            () => null,
            (e: unknown) => e,
          );
          if (!(error instanceof InvalidShareLinkError))
            failures.push(`${JSON.stringify(token.slice(0, 80))}: ${error === null ? 'accepted' : String(error).slice(0, 200)}`);
          return error instanceof InvalidShareLinkError;
        }),
        { numRuns: 300, endOnFailure: true },
      )
      .catch(() => undefined);
    expect(failures).toEqual([]);
    expect(await resolveShareLink(db.database.prisma, TEST_SECRET, real.token, new Date(), { countUse: false })).toMatchObject({ id: real.id });
  });
});
