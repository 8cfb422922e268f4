import { cpSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/client';
import { applyMigrations, defaultMigrationsDir } from '../db/migrate';
import { createEmptyDatabase, PROVIDERS, type EmptyDatabase } from '../test-support';
import { generateApiToken, publicPrefixOf, TOKEN_PREFIX } from './api-tokens';

const MIGRATION = '0008_token_prefix';

describe('stored token prefixes', () => {
  it('keep the type and 4 characters of a token, never more of the secret', () => {
    const { token, prefix } = generateApiToken();
    expect(prefix).toBe(token.slice(0, TOKEN_PREFIX.length + 4));
    expect(publicPrefixOf('ops-automation-token-0123456789')).toBe('ops-');
  });

  describe.each(PROVIDERS)('on %s, rows written before', (provider) => {
    let db: EmptyDatabase | null = null;

    afterEach(async () => {
      await db?.destroy();
      db = null;
    });

    it(`are cut down by ${MIGRATION}`, async () => {
      db = await createEmptyDatabase(provider);
      const before = db.dir.join('migrations-before');
      cpSync(defaultMigrationsDir(), before, { recursive: true, filter: (source) => !source.includes(MIGRATION) });
      await applyMigrations(db.url, before);
      const generated = generateApiToken().token;
      const database = await openDatabase({ url: db.url });
      try {
        const rows = [
          { name: 'generated', prefix: generated.slice(0, 12) },
          { name: 'VIGIL_API_TOKEN', prefix: 'ops-automation-token-0123'.slice(0, 12) },
        ];
        for (const row of rows) await database.prisma.apiToken.create({ data: { id: randomUUID(), ...row, tokenHash: randomUUID(), role: 'admin' } });

        expect((await applyMigrations(db.url)).applied).toEqual([MIGRATION]);

        const stored = (await database.prisma.apiToken.findMany({ select: { name: true, prefix: true } })).sort((a, b) => a.prefix.localeCompare(b.prefix));
        expect(stored).toEqual(
          [
            { name: 'VIGIL_API_TOKEN', prefix: 'ops-' },
            { name: 'generated', prefix: generated.slice(0, 8) },
          ].sort((a, b) => a.prefix.localeCompare(b.prefix)),
        );
      } finally {
        await database.close();
      }
    });
  });
});
