// Scopes as stored and as the authenticator reads them, on both providers, and a token from
// before scopes existed carried through the migration that added them.
import { cpSync, readdirSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmptyDatabase, createMigratedDatabase, makeTempDir, PROVIDERS, queryPostgres, type EmptyDatabase, type MigratedDatabase } from '../test-support';
import { sqlitePathOf } from '../db/database-url';
import { openDatabase } from '../db/client';
import { applyMigrations, defaultMigrationsDir } from '../db/migrate';
import { createApiToken, listApiTokens, revokeApiToken } from '../queries/api-tokens';
import { ApiTokenAuthenticator, generateApiToken, provisionEnvToken } from './api-tokens';

const SCOPES_MIGRATION = '0006_token_scopes';

async function runSql(db: EmptyDatabase, sql: string): Promise<void> {
  if (db.provider === 'postgresql') {
    await queryPostgres(db.url, sql);
    return;
  }
  const conn = new BetterSqlite3(sqlitePathOf(db.url));
  try {
    conn.exec(sql);
  } finally {
    conn.close();
  }
}

describe.each(PROVIDERS)('API token scopes on %s', (provider) => {
  let db: MigratedDatabase | null = null;
  const authenticators: ApiTokenAuthenticator[] = [];

  afterEach(async () => {
    await Promise.all(authenticators.splice(0).map((a) => a.close()));
    await db?.destroy();
    db = null;
  });

  async function open(): Promise<{ db: MigratedDatabase; auth: ApiTokenAuthenticator }> {
    db = await createMigratedDatabase(provider);
    const auth = new ApiTokenAuthenticator(db.database, 0);
    authenticators.push(auth);
    return { db, auth };
  }

  it('keeps the scopes a token was created with, canonically ordered, through list and authentication', async () => {
    const { db, auth } = await open();
    const t = generateApiToken();
    const created = await createApiToken(db.database.prisma, {
      id: 'bouncer',
      name: 'bouncer',
      prefix: t.prefix,
      tokenHash: t.tokenHash,
      role: 'operator',
      scopes: ['isolations:write', 'isolations:read'],
      createdById: null,
    });
    expect(created.scopes).toEqual(['isolations:read', 'isolations:write']);
    expect((await db.database.prisma.apiToken.findUnique({ where: { id: 'bouncer' } }))!.scopes).toBe('["isolations:read","isolations:write"]');
    expect(await listApiTokens(db.database.prisma)).toEqual([
      expect.objectContaining({ id: 'bouncer', role: 'operator', scopes: ['isolations:read', 'isolations:write'] }),
    ]);
    expect(await auth.authenticate(`Bearer ${t.token}`)).toEqual({
      id: 'bouncer',
      name: 'bouncer',
      role: 'operator',
      kind: 'token',
      scopes: ['isolations:read', 'isolations:write'],
    });
  });

  it('gives a token without scopes, and the provisioned one, no scope limit', async () => {
    const { db, auth } = await open();
    const t = generateApiToken();
    await createApiToken(db.database.prisma, { id: 'plain', name: 'plain', prefix: t.prefix, tokenHash: t.tokenHash, role: 'viewer', createdById: null });
    await provisionEnvToken(db.database.prisma, 'env-token-for-scopes-0123456789');
    expect(await auth.authenticate(`Bearer ${t.token}`)).toEqual({ id: 'plain', name: 'plain', role: 'viewer', kind: 'token' });
    expect(await auth.authenticate('Bearer env-token-for-scopes-0123456789')).toEqual({
      id: 'env-provisioned',
      name: 'VIGIL_API_TOKEN',
      role: 'admin',
      kind: 'token',
    });
    const listed = await listApiTokens(db.database.prisma);
    expect(listed.map((row) => [row.id, row.scopes])).toEqual(
      expect.arrayContaining([
        ['plain', []],
        ['env-provisioned', []],
      ]),
    );
  });

  it('refuses a token whose stored scopes it cannot read, rather than widen it to its role', async () => {
    const { db, auth } = await open();
    const t = generateApiToken();
    await db.database.prisma.apiToken.create({
      data: { id: 'odd', name: 'odd', prefix: t.prefix, tokenHash: t.tokenHash, role: 'admin', scopes: '["events:write","everything"]' },
    });
    expect(await auth.authenticate(`Bearer ${t.token}`)).toBeNull();
    expect(await listApiTokens(db.database.prisma)).toEqual([expect.objectContaining({ id: 'odd', scopes: null })]);
  });

  it('refuses a revoked scoped token', async () => {
    const { db, auth } = await open();
    const t = generateApiToken();
    await createApiToken(db.database.prisma, {
      id: 'gone',
      name: 'gone',
      prefix: t.prefix,
      tokenHash: t.tokenHash,
      role: 'operator',
      scopes: ['events:write'],
      createdById: null,
    });
    expect(await auth.authenticate(`Bearer ${t.token}`)).toMatchObject({ scopes: ['events:write'] });
    expect(await revokeApiToken(db.database.prisma, 'gone')).toBe(true);
    expect(await auth.authenticate(`Bearer ${t.token}`)).toBeNull();
  });
});

describe.each(PROVIDERS)(`migration ${SCOPES_MIGRATION} on %s`, (provider) => {
  it('leaves tokens that existed before it with the full access of their role', async () => {
    const db = await createEmptyDatabase(provider);
    const before = makeTempDir('vigil-migrations-');
    try {
      for (const name of readdirSync(defaultMigrationsDir()).filter((n) => /^\d{4}_/.test(n) && n < SCOPES_MIGRATION)) {
        cpSync(path.join(defaultMigrationsDir(), name), path.join(before.path, name), { recursive: true });
      }
      await applyMigrations(db.url, before.path);
      const t = generateApiToken();
      await runSql(
        db,
        `INSERT INTO "ApiToken" ("id", "name", "prefix", "tokenHash", "role") VALUES ('old', 'old script', '${t.prefix}', '${t.tokenHash}', 'operator')`,
      );

      expect((await applyMigrations(db.url)).applied).toContain(SCOPES_MIGRATION);
      const database = await openDatabase({ url: db.url });
      const auth = new ApiTokenAuthenticator(database, 0);
      try {
        expect(await listApiTokens(database.prisma)).toEqual([expect.objectContaining({ id: 'old', role: 'operator', scopes: [] })]);
        expect(await auth.authenticate(`Bearer ${t.token}`)).toEqual({ id: 'old', name: 'old script', role: 'operator', kind: 'token' });
      } finally {
        await auth.close();
        await database.close();
      }
    } finally {
      before.remove();
      await db.destroy();
    }
  });
});
